package io.github.glidesocket.sample;

import io.github.glidesocket.core.SocketManager;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.stereotype.Component;

/**
 * Says where the socket is, with a command to paste.
 */
@Component
class StartupBanner implements ApplicationListener<ApplicationReadyEvent> {

	private static final Log logger = LogFactory.getLog(StartupBanner.class);

	private final SocketManager manager;

	StartupBanner(SocketManager manager) {
		this.manager = manager;
	}

	@Override
	public void onApplicationEvent(ApplicationReadyEvent event) {
		String path = event.getApplicationContext().getEnvironment().getProperty("glide.socket.path",
				this.manager.defaultSocketPath());
		if (this.manager.isSocketActive(path)) {
			logger.info("Key-value service listening on " + path + " ; try: redis-cli -s " + path + " ping");
		}
		else {
			logger.info("Key-value socket " + path + " appears with the first client: curl -X POST localhost:"
					+ event.getApplicationContext().getEnvironment().getProperty("local.server.port", "8080")
					+ "/clients");
		}
	}

}
