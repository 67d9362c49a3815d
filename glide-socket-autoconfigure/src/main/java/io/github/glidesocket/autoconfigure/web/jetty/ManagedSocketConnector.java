package io.github.glidesocket.autoconfigure.web.jetty;

import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;

import io.github.glidesocket.autoconfigure.web.WebServerSocket;
import io.github.glidesocket.core.ChannelConnection;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.io.ManagedSelector;
import org.eclipse.jetty.io.SelectorManager;
import org.eclipse.jetty.io.SocketChannelEndPoint;
import org.eclipse.jetty.server.AbstractConnector;
import org.eclipse.jetty.server.ConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.util.thread.Scheduler;
import org.jspecify.annotations.Nullable;

/**
 * A Jetty connector that serves the connections of a glide-socket managed socket. It never
 * accepts (no acceptor threads, no server channel): the socket accepts, checks each peer and
 * holds its limits, then hands every admitted connection's channel to this connector's
 * {@link SelectorManager}. The connector never binds, chmods or unlinks the path.
 * <p>
 * It serves the socket from its start to its stop ({@link WebServerSocket#serve}): the socket's
 * file exists exactly while the connector runs. After a graceful shutdown began, Jetty answers
 * the requests on open connections with {@code Connection: close}, and the connector closes the
 * connections handed to it from then on unread, as Jetty's own connectors stop accepting. Each
 * connection's slot is given back to the socket ({@link ChannelConnection#closed()}) when Jetty
 * closes its endpoint, when Jetty cannot take the channel, and at the latest when the connector
 * stops.
 */
public class ManagedSocketConnector extends AbstractConnector {

	static final String SERVER = "Jetty";

	private final WebServerSocket socket;

	private final SelectorManager selectorManager;

	/** Every connection handed in and not yet given back, by channel. */
	private final Map<SelectableChannel, ChannelConnection> connections = new ConcurrentHashMap<>();

	private volatile WebServerSocket.@Nullable Serving serving;

	/**
	 * Create a connector on the server's executor, scheduler and buffer pool.
	 * @param server the server the connector is added to
	 * @param socket the socket whose connections it serves
	 * @param selectors the number of selectors, or -1 for Jetty's default
	 * @param factories the connection factories, the first being the default protocol
	 */
	public ManagedSocketConnector(Server server, WebServerSocket socket, int selectors,
			ConnectionFactory... factories) {
		super(server, null, null, null, 0, factories);
		this.socket = Objects.requireNonNull(socket, "'socket' must not be null");
		this.selectorManager = new ChannelSelectorManager(getExecutor(), getScheduler(), selectors);
		installBean(this.selectorManager, true);
	}

	@Override
	protected void doStart() throws Exception {
		super.doStart();
		try {
			this.serving = this.socket.serve(SERVER, this::serve);
		}
		catch (RuntimeException | Error ex) {
			// Neither Jetty nor Boot stops a connector whose start failed: stop its selectors here.
			try {
				this.selectorManager.stop();
			}
			catch (Exception stopFailure) {
				ex.addSuppressed(stopFailure);
			}
			throw ex;
		}
	}

	@Override
	protected void doStop() throws Exception {
		// Released first, so that the socket stops accepting before the connections are closed.
		release();
		try {
			super.doStop();
		}
		finally {
			// Channels the selectors never took (handed in as they stopped) are given back here.
			this.connections.values().forEach(this::giveBack);
		}
	}

	/**
	 * Never called: the connector has no acceptor threads, the socket accepts.
	 */
	@Override
	protected void accept(int acceptorID) {
		throw new UnsupportedOperationException("The socket accepts; the connector is handed its connections");
	}

	private void release() {
		WebServerSocket.Serving serving = this.serving;
		this.serving = null;
		if (serving != null) {
			serving.close();
		}
	}

	/**
	 * Take an admitted connection: on the socket's acceptor, so it only queues the channel for a
	 * selector. Registered before the checks, so that a stop either sees it or is seen; once a
	 * shutdown began it is closed unread, as new connections are refused then.
	 */
	private void serve(ChannelConnection connection) throws Exception {
		SocketChannel channel = connection.channel();
		channel.configureBlocking(false);
		this.connections.put(channel, connection);
		if (!isRunning() || isShutdown()) {
			giveBack(connection);
			return;
		}
		this.selectorManager.accept(channel);
	}

	private void giveBack(ChannelConnection connection) {
		this.connections.remove(connection.channel(), connection);
		connection.closed();
	}

	private void giveBack(SelectableChannel channel) {
		ChannelConnection connection = this.connections.get(channel);
		if (connection != null) {
			giveBack(connection);
		}
	}

	/**
	 * The serving of the socket while the connector runs, else {@code null}.
	 */
	@Override
	public @Nullable Object getTransport() {
		return this.serving;
	}

	@Override
	public String toString() {
		return String.format("%s@%x[%s]", getClass().getSimpleName(), hashCode(), this.socket.path());
	}

	private final class ChannelSelectorManager extends SelectorManager {

		ChannelSelectorManager(Executor executor, Scheduler scheduler, int selectors) {
			super(executor, scheduler, selectors);
		}

		@Override
		protected EndPoint newEndPoint(SelectableChannel channel, ManagedSelector selector, SelectionKey key) {
			SocketChannelEndPoint endPoint = new SocketChannelEndPoint((SocketChannel) channel, selector, key,
					getScheduler());
			endPoint.setIdleTimeout(getIdleTimeout());
			return endPoint;
		}

		@Override
		public Connection newConnection(SelectableChannel channel, EndPoint endPoint, @Nullable Object attachment) {
			return getDefaultConnectionFactory().newConnection(ManagedSocketConnector.this, endPoint);
		}

		@Override
		protected void endPointOpened(EndPoint endPoint) {
			super.endPointOpened(endPoint);
			onEndPointOpened(endPoint);
		}

		@Override
		protected void endPointClosed(EndPoint endPoint) {
			onEndPointClosed(endPoint);
			super.endPointClosed(endPoint);
			giveBack(((SocketChannelEndPoint) endPoint).getChannel());
		}

		@Override
		protected void onAcceptFailed(SelectableChannel channel, Throwable cause) {
			super.onAcceptFailed(channel, cause);
			giveBack(channel);
		}

	}

}
