package io.github.glidesocket.autoconfigure.web.jetty;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

import io.github.glidesocket.autoconfigure.web.WebServerSocket;
import io.github.glidesocket.core.ChannelConnection;
import io.github.glidesocket.core.SocketChannelHandler;
import io.github.glidesocket.core.SocketManager;
import io.github.glidesocket.core.SocketOptions;
import io.github.glidesocket.core.SocketReference;

/**
 * A web socket on a plain socket manager for connector tests: the manager's options for the
 * path forward each connection to the handler of the server that opened it.
 */
final class TestWebServerSocket implements WebServerSocket {

	private final AtomicReference<SocketChannelHandler> server = new AtomicReference<>();

	private final String path;

	private final SocketManager manager;

	TestWebServerSocket(String path, SocketOptions.Builder options) {
		this.path = path;
		this.manager = SocketManager.builder()
			.name("jetty-test")
			.shutdownHook(false)
			.socket(path, options.channelHandler(this::forward).build())
			.build();
	}

	private void forward(ChannelConnection connection) throws Exception {
		SocketChannelHandler handler = this.server.get();
		if (handler == null) {
			connection.closed();
			return;
		}
		handler.handle(connection);
	}

	SocketManager manager() {
		return this.manager;
	}

	@Override
	public String path() {
		return this.path;
	}

	@Override
	public SocketReference open(SocketChannelHandler handler) {
		this.server.set(handler);
		return this.manager.getOrCreate(this.path);
	}

	@Override
	public void stopAccepting() {
		this.manager.shutdownSocket(this.path, Duration.ofMinutes(1));
	}

}
