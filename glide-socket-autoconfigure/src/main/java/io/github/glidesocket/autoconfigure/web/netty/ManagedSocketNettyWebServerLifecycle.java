package io.github.glidesocket.autoconfigure.web.netty;

import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.SmartLifecycle;

/**
 * Starts and stops the {@link ManagedSocketNettyWebServer} in the phase of the application's own web
 * server; its graceful shutdown runs before, in the phase of the application server's.
 */
final class ManagedSocketNettyWebServerLifecycle implements SmartLifecycle {

	private final ManagedSocketNettyWebServer server;

	private volatile boolean running;

	ManagedSocketNettyWebServerLifecycle(ManagedSocketNettyWebServer server) {
		this.server = server;
	}

	@Override
	public void start() {
		this.server.start();
		this.running = true;
	}

	@Override
	public void stop() {
		this.running = false;
		this.server.stop();
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		return WebServerApplicationContext.START_STOP_LIFECYCLE_PHASE;
	}

	@Override
	public boolean isPauseable() {
		return false;
	}

}
