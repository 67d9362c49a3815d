package io.github.glidesocket.autoconfigure.web.tomcat;

import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.NetworkChannel;
import java.nio.channels.SocketChannel;
import java.util.Map;
import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import io.github.glidesocket.autoconfigure.web.WebServerSocket;
import io.github.glidesocket.core.ChannelConnection;
import org.apache.tomcat.util.net.NioChannel;
import org.apache.tomcat.util.net.NioEndpoint;
import org.apache.tomcat.util.net.SocketBufferHandler;
import org.jspecify.annotations.Nullable;

/**
 * A Tomcat NIO endpoint that serves the connections glide-socket accepts on the web socket
 * instead of a server socket of its own. Binding takes the socket's reference, unbinding
 * releases it: Tomcat never binds, chmods or unlinks the path. Tomcat's acceptor takes each
 * handed connection from a queue; a connection Tomcat closes is reported
 * {@link ChannelConnection#closed() closed}, which gives back its slot in the socket.
 * <p>
 * Threads: glide-socket's acceptor adds to the queue (never blocking); Tomcat's acceptor thread
 * takes from it; Tomcat's poller and worker threads close channels. While the endpoint is paused
 * (a graceful shutdown) connections stay queued, and those still queued when it unbinds are
 * closed, as a stopping server socket resets its backlog.
 */
class ManagedSocketNioEndpoint extends NioEndpoint {

	static final String SERVER = "Tomcat";

	/** How often a paused acceptor looks whether the endpoint stopped: Tomcat waits 600 ms for it. */
	private static final long PAUSED_CHECK_MILLIS = 50;

	private final Queue<ChannelConnection> handed = new ConcurrentLinkedQueue<>();

	/** Released for each connection handed over and for each wake-up of the acceptor. */
	private final Semaphore signals = new Semaphore(0);

	/** The connections Tomcat took, by channel, until it closes them. */
	private final Map<SocketChannel, ChannelConnection> served = new ConcurrentHashMap<>();

	private @Nullable WebServerSocket socket;

	private volatile WebServerSocket.@Nullable Serving serving;

	void serveOn(WebServerSocket socket) {
		this.socket = socket;
		// Tomcat then treats accepted channels as Unix-domain ones (no TCP socket options).
		setUnixDomainSocketPath(socket.path());
	}

	@Override
	protected void initServerSocket() throws Exception {
		WebServerSocket webSocket = Objects.requireNonNull(this.socket, "The web socket was not given to Tomcat");
		this.serving = webSocket.serve(SERVER, this::handOver);
	}

	private void handOver(ChannelConnection connection) {
		this.handed.add(connection);
		this.signals.release();
	}

	@Override
	protected @Nullable NetworkChannel getServerSocket() {
		// glide-socket holds the server channel; Tomcat has no local address to report.
		return null;
	}

	@Override
	protected SocketChannel serverSocketAccept() throws Exception {
		while (true) {
			if (!isRunning()) {
				// Tomcat's acceptor ends quietly on a failure once the endpoint stopped.
				throw new ClosedChannelException();
			}
			if (!isPaused()) {
				ChannelConnection connection = this.handed.poll();
				if (connection != null) {
					this.served.put(connection.channel(), connection);
					return connection.channel();
				}
				this.signals.acquire();
			}
			else {
				this.signals.tryAcquire(PAUSED_CHECK_MILLIS, TimeUnit.MILLISECONDS);
			}
		}
	}

	@Override
	protected void unlockAccept() {
		// Never connect to the path to wake the acceptor: after a takeover that reaches the new
		// process.
		this.signals.release();
	}

	@Override
	protected void doCloseServerSocket() throws IOException {
		if (isRunning()) {
			// A graceful shutdown closes the server socket while requests finish: releasing the
			// socket now would close their connections. Tomcat is paused and takes no new ones;
			// the socket is released when the endpoint unbinds, after its stop.
			return;
		}
		WebServerSocket.Serving current = this.serving;
		this.serving = null;
		if (current != null) {
			current.close();
		}
		for (ChannelConnection connection; (connection = this.handed.poll()) != null;) {
			connection.closed();
		}
		this.served.values().forEach(ChannelConnection::closed);
		this.served.clear();
	}

	@Override
	protected NioChannel createChannel(SocketBufferHandler buffer) {
		return new ReportingNioChannel(buffer);
	}

	@Override
	protected void destroySocket(SocketChannel socket) {
		try {
			super.destroySocket(socket);
		}
		finally {
			channelClosed(socket);
		}
	}

	private void channelClosed(@Nullable SocketChannel channel) {
		if (channel != null) {
			ChannelConnection connection = this.served.remove(channel);
			if (connection != null) {
				connection.closed();
			}
		}
	}

	/**
	 * Tomcat's channel over one connection, reporting its close to the socket.
	 */
	private final class ReportingNioChannel extends NioChannel {

		ReportingNioChannel(SocketBufferHandler buffer) {
			super(buffer);
		}

		@Override
		public void close() throws IOException {
			SocketChannel channel = this.sc;
			try {
				super.close();
			}
			finally {
				channelClosed(channel);
			}
		}

	}

}
