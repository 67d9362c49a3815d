package io.github.glidesocket.autoconfigure.web.netty;

import java.io.IOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.nio.channels.SelectionKey;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.glidesocket.autoconfigure.web.WebServerSocket;
import io.github.glidesocket.core.ChannelConnection;
import io.netty.channel.Channel;
import io.netty.channel.ChannelMetadata;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.DefaultChannelConfig;
import io.netty.channel.ServerChannel;
import io.netty.channel.ServerChannelRecvByteBufAllocator;
import io.netty.channel.nio.AbstractNioMessageChannel;
import io.netty.channel.socket.nio.NioDomainSocketChannel;
import io.netty.channel.unix.DomainSocketAddress;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * A Netty server channel whose children are the connections glide-socket admits on the web
 * socket: it never binds, accepts, chmods or unlinks anything. Binding it starts serving the
 * socket (its reference is taken, and the socket hands each admitted connection to this
 * channel).
 * <p>
 * Closing it does not end the serving at once: Reactor Netty closes the server channel first
 * and then lets its connections finish (a graceful shutdown), and the socket closes the
 * connections it counts when its last reference goes. The serving ends when this channel is
 * closed and its last child has closed. A connection handed over once this channel has begun to
 * close is closed unserved.
 * <p>
 * The acceptor hands a connection over by queueing it and writing one byte to a pipe whose
 * readable end is this channel's selectable channel, so the connection is read as a child on
 * this channel's event loop, like an accepted one, under the pipeline's back-pressure
 * ({@code autoRead}). Each child is a {@link NioDomainSocketChannel} over the admitted channel,
 * and gives its connection's slot back when it closes.
 */
final class ManagedSocketServerChannel extends AbstractNioMessageChannel implements ServerChannel {

	private static final Log logger = LogFactory.getLog(ManagedSocketServerChannel.class);

	/** The server's name in messages of the web socket. */
	static final String SERVER = "Reactor Netty";

	private static final ChannelMetadata METADATA = new ChannelMetadata(false, 16);

	private final WebServerSocket socket;

	private final DomainSocketAddress address;

	private final Pipe.SinkChannel wakeUps;

	private final ByteBuffer wakeUpBytes = ByteBuffer.allocate(64);

	private final AtomicBoolean wakeUpPending = new AtomicBoolean();

	private final Queue<ChannelConnection> handedOver = new ConcurrentLinkedQueue<>();

	private final Config config = new Config(this);

	private final AtomicInteger openChildren = new AtomicInteger();

	private final AtomicBoolean served = new AtomicBoolean();

	private volatile WebServerSocket.@Nullable Serving serving;

	private volatile boolean closing;

	private ManagedSocketServerChannel(WebServerSocket socket, Pipe wakeUps) throws IOException {
		super(null, wakeUps.source(), SelectionKey.OP_READ);
		this.socket = socket;
		this.address = new DomainSocketAddress(socket.path());
		this.wakeUps = wakeUps.sink();
		// The acceptor writes here: it must never wait for this channel's event loop.
		this.wakeUps.configureBlocking(false);
	}

	/**
	 * A new, unbound channel for the socket.
	 * @param socket the web socket
	 * @return the channel
	 * @throws IOException if the wake-up pipe cannot be opened
	 */
	static ManagedSocketServerChannel open(WebServerSocket socket) throws IOException {
		Pipe pipe = Pipe.open();
		try {
			return new ManagedSocketServerChannel(socket, pipe);
		}
		catch (IOException | RuntimeException ex) {
			closeQuietly(pipe.source());
			closeQuietly(pipe.sink());
			throw ex;
		}
	}

	@Override
	public DefaultChannelConfig config() {
		return this.config;
	}

	@Override
	public ChannelMetadata metadata() {
		return METADATA;
	}

	@Override
	public boolean isActive() {
		return isOpen() && this.serving != null;
	}

	@Override
	protected SocketAddress localAddress0() {
		return this.address;
	}

	@Override
	protected @Nullable SocketAddress remoteAddress0() {
		return null;
	}

	/**
	 * Bind to the web socket's path: glide-socket has bound it (or binds it now); the channel only
	 * starts serving it.
	 */
	@Override
	protected void doBind(SocketAddress localAddress) {
		if (!this.address.equals(localAddress)) {
			throw new IllegalArgumentException("This channel serves the glide-socket web socket at "
					+ this.address.path() + ", not " + localAddress);
		}
		this.serving = this.socket.serve(SERVER, this::handOver);
	}

	/**
	 * Queue an admitted connection and wake the event loop. Runs on glide-socket's acceptor.
	 */
	private void handOver(ChannelConnection connection) {
		this.handedOver.add(connection);
		if (this.closing) {
			closeHandedOver();
			return;
		}
		if (this.wakeUpPending.compareAndSet(false, true)) {
			try {
				this.wakeUps.write(ByteBuffer.wrap(new byte[1]));
			}
			catch (IOException ex) {
				// Closed meanwhile: doClose closes what is queued, and so does this.
				closeHandedOver();
			}
		}
	}

	@Override
	protected int doReadMessages(List<Object> buf) throws IOException {
		while (javaChannel().read(this.wakeUpBytes.clear()) > 0) {
			// Only the wake-up matters, not the bytes.
		}
		// Cleared after the bytes are read and before the queue is drained: a connection queued
		// from now on writes a byte that stays for the next read. Cleared before the bytes were
		// read, a byte written meanwhile would be read here while the flag stayed set, and no
		// later connection would wake the loop again.
		this.wakeUpPending.set(false);
		int children = 0;
		ChannelConnection connection;
		while ((connection = this.handedOver.poll()) != null) {
			Channel child = child(connection);
			if (child != null) {
				buf.add(child);
				children++;
			}
		}
		return children;
	}

	private @Nullable Channel child(ChannelConnection connection) {
		try {
			Channel child = new NioDomainSocketChannel(this, connection.channel());
			this.openChildren.incrementAndGet();
			child.closeFuture().addListener((closed) -> childClosed(connection));
			return child;
		}
		catch (RuntimeException ex) {
			// The channel was closed under us, for example at the socket's stop deadline.
			logger.debug("Could not serve connection " + connection.id() + " on " + this.address.path(), ex);
			connection.closed();
			return null;
		}
	}

	@Override
	protected Pipe.SourceChannel javaChannel() {
		return (Pipe.SourceChannel) super.javaChannel();
	}

	private void childClosed(ChannelConnection connection) {
		connection.closed();
		if (this.openChildren.decrementAndGet() == 0 && this.closing) {
			endServing();
		}
	}

	@Override
	protected void doClose() throws Exception {
		this.closing = true;
		try {
			super.doClose();
		}
		finally {
			closeQuietly(javaChannel());
			closeQuietly(this.wakeUps);
			closeHandedOver();
			if (this.openChildren.get() == 0) {
				endServing();
			}
		}
	}

	/**
	 * Release the socket once: the last of this channel's close and its children's closes calls it.
	 */
	private void endServing() {
		WebServerSocket.Serving serving = this.serving;
		if (serving != null && this.served.compareAndSet(false, true)) {
			serving.close();
		}
	}

	private void closeHandedOver() {
		ChannelConnection connection;
		while ((connection = this.handedOver.poll()) != null) {
			connection.closed();
		}
	}

	@Override
	protected boolean doConnect(SocketAddress remoteAddress, @Nullable SocketAddress localAddress) {
		throw new UnsupportedOperationException();
	}

	@Override
	protected void doFinishConnect() {
		throw new UnsupportedOperationException();
	}

	@Override
	protected void doDisconnect() {
		throw new UnsupportedOperationException();
	}

	@Override
	protected boolean doWriteMessage(Object msg, ChannelOutboundBuffer in) {
		throw new UnsupportedOperationException();
	}

	private static void closeQuietly(java.nio.channels.Channel channel) {
		try {
			channel.close();
		}
		catch (IOException ex) {
			// Nothing left to release.
		}
	}

	/**
	 * A server channel's configuration; takes a backlog as a server socket does, without effect:
	 * glide-socket's options set the socket's backlog.
	 */
	private static final class Config extends DefaultChannelConfig {

		Config(Channel channel) {
			super(channel, new ServerChannelRecvByteBufAllocator());
		}

		@Override
		public <T> boolean setOption(ChannelOption<T> option, T value) {
			if (option == ChannelOption.SO_BACKLOG) {
				validate(option, value);
				return true;
			}
			return super.setOption(option, value);
		}

	}

}
