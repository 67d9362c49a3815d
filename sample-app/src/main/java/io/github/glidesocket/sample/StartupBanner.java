package io.github.glidesocket.sample;

import java.util.List;

import io.github.glidesocket.autoconfigure.ConfiguredSockets;
import io.github.glidesocket.core.SocketManager;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.stereotype.Component;

/**
 * Says where the socket is (each member's path when {@code glide.socket.pool-size} makes it a
 * pool), with a command to paste.
 */
@Component
class StartupBanner implements ApplicationListener<ApplicationReadyEvent> {

	private static final Log logger = LogFactory.getLog(StartupBanner.class);

	private final SocketManager manager;

	private final ConfiguredSockets sockets;

	StartupBanner(SocketManager manager, ConfiguredSockets sockets) {
		this.manager = manager;
		this.sockets = sockets;
	}

	@Override
	public void onApplicationEvent(ApplicationReadyEvent event) {
		String path = this.sockets.path(ConfiguredSockets.DEFAULT);
		List<String> members = this.sockets.memberPaths(ConfiguredSockets.DEFAULT);
		if (members.size() > 1 && members.stream().allMatch(this.manager::isSocketActive)) {
			logger.info("Key-value service listening on a pool of " + members.size() + ": " + String.join(" ", members)
					+ " ; try: redis-cli -s " + members.get(0) + " ping");
		}
		else if (this.manager.isSocketActive(path)) {
			logger.info("Key-value service listening on " + path + " ; try: redis-cli -s " + path + " ping");
		}
		else {
			logger.info("Key-value socket " + path + " appears with the first client: curl -X POST localhost:"
					+ event.getApplicationContext().getEnvironment().getProperty("local.server.port", "8080")
					+ "/clients");
		}
	}

}
