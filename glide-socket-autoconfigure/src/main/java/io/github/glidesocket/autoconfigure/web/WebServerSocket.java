package io.github.glidesocket.autoconfigure.web;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

import io.github.glidesocket.core.ChannelConnection;
import io.github.glidesocket.core.SocketChannelHandler;
import io.github.glidesocket.core.SocketManager;
import io.github.glidesocket.core.SocketReference;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;

/**
 * The socket of {@code glide.socket.web.path} and the web server's way onto it. It is the
 * socket's {@link SocketChannelHandler}: each admitted connection goes to the server that
 * {@link #serve(String, SocketChannelHandler) serves} the socket. A server takes the socket's
 * reference when it binds (the file appears) and releases it when it unbinds, so the file
 * exists exactly while HTTP is served there; the server never binds, chmods or unlinks the path.
 * <p>
 * Each server's glue reports from its factory customizer that it put the server on the socket
 * ({@link #installedIn(String)}); once the singletons are created, a socket that no server was
 * put on fails the startup, naming the property.
 */
public final class WebServerSocket implements SocketChannelHandler, SmartInitializingSingleton {

	/** The property that turns the web socket on. */
	public static final String PATH_PROPERTY = "glide.socket.web.path";

	private static final Log logger = LogFactory.getLog(WebServerSocket.class);

	private final SocketManager manager;

	private final String path;

	private final boolean tcp;

	private final AtomicReference<@Nullable Serving> serving = new AtomicReference<>();

	private volatile @Nullable String installedIn;

	/**
	 * Create a new instance.
	 * @param manager the manager that binds the socket
	 * @param path the absolute path of the socket
	 * @param tcp whether the web server also serves its TCP port
	 */
	public WebServerSocket(SocketManager manager, String path, boolean tcp) {
		this.manager = Objects.requireNonNull(manager, "'manager' must not be null");
		this.path = Objects.requireNonNull(path, "'path' must not be null");
		this.tcp = tcp;
	}

	/**
	 * The path of the socket.
	 * @return the absolute path
	 */
	public String path() {
		return this.path;
	}

	/**
	 * Whether the web server also listens on its TCP port ({@code glide.socket.web.tcp}).
	 * @return whether TCP is served beside the socket
	 */
	public boolean isTcp() {
		return this.tcp;
	}

	/**
	 * Record that a server's glue put that server on this socket. Called from the server
	 * factory's customizer.
	 * @param server the server's name, for messages
	 */
	public void installedIn(String server) {
		this.installedIn = server;
	}

	/**
	 * Start serving the socket: take its reference (binding it, or taking it over) and hand
	 * each admitted connection to the server from now on.
	 * @param server the server's name, for messages
	 * @param handler takes each admitted connection; must not block, and must report each
	 * connection {@link ChannelConnection#closed() closed} once the server closed it
	 * @return the serving, to close when the server stops serving the socket
	 * @throws IllegalStateException if a server already serves the socket
	 */
	public Serving serve(String server, SocketChannelHandler handler) {
		Serving started = new Serving(server, handler);
		if (!this.serving.compareAndSet(null, started)) {
			throw new IllegalStateException("The web socket '" + this.path + "' is already served by "
					+ Objects.requireNonNull(this.serving.get()).server);
		}
		try {
			started.reference = this.manager.getOrCreate(this.path);
		}
		catch (RuntimeException ex) {
			this.serving.compareAndSet(started, null);
			throw ex;
		}
		logger.info(server + " serves HTTP on glide-socket socket 'web' (" + this.path + ")");
		return started;
	}

	@Override
	public void handle(ChannelConnection connection) throws Exception {
		Serving current = this.serving.get();
		if (current == null) {
			// Between the server's stop and the socket's: nobody reads this connection.
			connection.closed();
			return;
		}
		current.handler.handle(connection);
	}

	@Override
	public void afterSingletonsInstantiated() {
		if (this.installedIn == null) {
			throw new InvalidConfigurationPropertyValueException(PATH_PROPERTY, this.path,
					"No web server that glide-socket can put on a socket was started. The web socket needs a "
							+ "web application on Spring Boot 4 with Tomcat (spring-boot-starter-web), Jetty or "
							+ "Reactor Netty (spring-boot-starter-webflux); remove the property otherwise.");
		}
	}

	@Override
	public String toString() {
		return "WebServerSocket[path=" + this.path + ", tcp=" + this.tcp + "]";
	}

	/**
	 * A server serving the socket; closing it releases the socket's reference.
	 */
	public final class Serving implements AutoCloseable {

		private final String server;

		private final SocketChannelHandler handler;

		private volatile @Nullable SocketReference reference;

		private Serving(String server, SocketChannelHandler handler) {
			this.server = server;
			this.handler = handler;
		}

		/**
		 * Stop serving: release the socket's reference, after which connections are no longer
		 * handed to the server. Idempotent.
		 */
		@Override
		public void close() {
			SocketReference held = this.reference;
			this.reference = null;
			if (held != null) {
				held.close();
			}
			WebServerSocket.this.serving.compareAndSet(this, null);
		}

	}

}
