package io.github.glidesocket.core.internal.transport;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SocketChannel;

import io.github.glidesocket.core.PeerCredentials;
import io.github.glidesocket.core.SocketCallback;
import io.github.glidesocket.core.SocketConnection;
import io.github.glidesocket.core.SocketConnectionHandler;
import io.github.glidesocket.core.SocketManager;
import io.github.glidesocket.core.internal.binding.UnixSocketBinder;

/**
 * One accepted connection served on a thread of its own, and the task that serves it. The
 * listener owns it; the handler sees it only through {@link SocketConnection}. The streams read
 * and write the blocking channel directly (no lock between a reader and a writer); a read that
 * has waited for the idle timeout ends with the connection closed, as a socket timeout would.
 */
final class ManagedConnection extends ConnectionIdentity implements SocketConnection, ServedConnection, Runnable {

	private static final System.Logger logger = System.getLogger(SocketManager.class.getName());

	/** Bytes written at once, each slice timed by the write timeout. */
	private static final int WRITE_SLICE = 64 * 1024;

	private final SocketChannel channel;

	private final SocketConnectionHandler handler;

	private final UnixSocketListener listener;

	private final long idleNanos;

	private final long writeNanos;

	private final ConnectionTimeouts timeouts;

	private final InputStream input = new ChannelInput();

	private final OutputStream output = new ChannelOutput();

	/** When the read now waiting began, in {@link System#nanoTime()}; 0 while none waits. */
	private volatile long readingSinceNanos;

	private volatile boolean closedByListener;

	private volatile boolean idleClosed;

	/** When the write now waiting began, in {@link System#nanoTime()}; 0 while none waits. */
	private volatile long writingSinceNanos;

	private volatile boolean writeTimedOut;

	private volatile boolean shutdownRequested;

	/**
	 * @param idleNanos how long a read may wait, 0 for ever
	 * @param writeNanos how long a write may make no progress, 0 for ever
	 * @param timeouts times the reads and writes out while the handler runs
	 */
	ManagedConnection(long id, String path, SocketChannel channel, PeerCredentials peer,
			SocketConnectionHandler handler, UnixSocketListener listener, long idleNanos, long writeNanos,
			ConnectionTimeouts timeouts) {
		super("SocketConnection", id, path, peer);
		this.channel = channel;
		this.handler = handler;
		this.listener = listener;
		this.idleNanos = idleNanos;
		this.writeNanos = writeNanos;
		this.timeouts = timeouts;
	}

	@Override
	public void run() {
		boolean timed = checkPeriod() != Long.MAX_VALUE;
		try {
			if (timed) {
				this.timeouts.add(this);
			}
			this.handler.handle(this);
		}
		catch (Throwable ex) {
			if (this.idleClosed) {
				logger.log(System.Logger.Level.DEBUG, () -> "Closed idle " + describe());
			}
			else if (this.writeTimedOut) {
				logger.log(System.Logger.Level.DEBUG, () -> "Closed " + describe() + ": its peer read nothing for the"
						+ " write timeout");
			}
			else if (this.closedByListener || isPeerGone(ex)) {
				logger.log(System.Logger.Level.DEBUG, () -> "The " + describe() + " ended: " + ex);
			}
			else {
				this.listener.callbackFailed(SocketCallback.CONNECTION_HANDLER, ex,
						() -> "The handler failed on " + describe() + " from " + peer() + "; the connection is closed");
			}
		}
		finally {
			if (timed) {
				this.timeouts.remove(this);
			}
			UnixSocketBinder.closeQuietly(this.channel);
			this.listener.connectionEnded(this);
		}
	}

	/**
	 * How often the connection's timeouts must be checked.
	 * @return the period in nanoseconds, {@code Long.MAX_VALUE} if it has none
	 */
	long checkPeriod() {
		return ConnectionTimeouts.periodFor(this.idleNanos, this.writeNanos);
	}

	/**
	 * Close the connection if a read or a write has waited for its timeout. Called periodically
	 * by {@link ConnectionTimeouts}, from the manager's scheduler.
	 * @param now the time, in {@link System#nanoTime()}
	 */
	void closeIfTimedOut(long now) {
		closeIfIdle(now, this.idleNanos);
		if (this.writeNanos > 0) {
			closeIfWriteStuck(now, this.writeNanos);
		}
	}

	/**
	 * Whether the failure only says that the connection ended under the handler: the peer went
	 * away, or the channel was closed.
	 */
	static boolean isPeerGone(Throwable ex) {
		for (Throwable current = ex; current != null; current = current.getCause()) {
			if (current instanceof ClosedChannelException) {
				return true;
			}
			String message = String.valueOf(current.getMessage());
			if ((current instanceof SocketException || current instanceof IOException)
					&& (message.contains("Broken pipe") || message.contains("reset") || message.contains("closed"))) {
				return true;
			}
		}
		return false;
	}

	/**
	 * Close the connection if a read has waited for the timeout.
	 * @param now the time, in {@link System#nanoTime()}
	 * @param timeoutNanos the idle timeout
	 */
	private void closeIfIdle(long now, long timeoutNanos) {
		long since = this.readingSinceNanos;
		if (timeoutNanos > 0 && since != 0 && now - since >= timeoutNanos && this.channel.isOpen()) {
			this.idleClosed = true;
			UnixSocketBinder.closeQuietly(this.channel);
		}
	}

	/**
	 * Close the connection if a write has made no progress for the timeout: its peer stopped
	 * reading.
	 * @param now the time, in {@link System#nanoTime()}
	 * @param timeoutNanos the write timeout
	 */
	private void closeIfWriteStuck(long now, long timeoutNanos) {
		long since = this.writingSinceNanos;
		if (since != 0 && now - since >= timeoutNanos && this.channel.isOpen()) {
			this.writeTimedOut = true;
			UnixSocketBinder.closeQuietly(this.channel);
			this.listener.writeTimedOut();
		}
	}

	/**
	 * Half-close the input so a handler blocked in a read sees end-of-stream and can finish. A
	 * handler not in a read is left to find out at its next read, which first takes what has
	 * already arrived: once the input is half-closed the JDK reads nothing more, and a
	 * connection closed with unread bytes is reset, so a request sent just before the stop would
	 * be lost. (The flag is written before the read state is read here, and the other way round
	 * in a read, so one of the two sees the other.)
	 */
	@Override
	public void signalShutdown() {
		this.shutdownRequested = true;
		if (this.readingSinceNanos == 0) {
			return;
		}
		try {
			this.channel.shutdownInput();
		}
		catch (IOException ex) {
			logger.log(System.Logger.Level.DEBUG, () -> "Cannot half-close " + describe() + ": " + ex);
		}
	}

	@Override
	public void forceClose() {
		this.closedByListener = true;
		UnixSocketBinder.closeQuietly(this.channel);
	}

	@Override
	public boolean isShutdownRequested() {
		return this.shutdownRequested;
	}

	@Override
	public InputStream inputStream() {
		return this.input;
	}

	@Override
	public OutputStream outputStream() {
		return this.output;
	}

	@Override
	public SocketChannel channel() {
		return this.channel;
	}

	private final class ChannelInput extends InputStream {

		@Override
		public int read() throws IOException {
			byte[] one = new byte[1];
			int count = read(one, 0, 1);
			return (count < 0) ? -1 : (one[0] & 0xFF);
		}

		@Override
		public int read(byte[] bytes, int offset, int length) throws IOException {
			if (length == 0) {
				return 0;
			}
			ManagedConnection.this.readingSinceNanos = Math.max(System.nanoTime(), 1);
			try {
				int count = ManagedConnection.this.shutdownRequested ? readArrived(bytes, offset, length)
						: ManagedConnection.this.channel.read(ByteBuffer.wrap(bytes, offset, length));
				if (count > 0) {
					ManagedConnection.this.listener.received(count);
				}
				return count;
			}
			catch (ClosedChannelException ex) {
				if (ManagedConnection.this.idleClosed) {
					throw new IOException("Closed " + describe() + ": its peer sent nothing for the idle timeout", ex);
				}
				throw ex;
			}
			finally {
				ManagedConnection.this.readingSinceNanos = 0;
			}
		}

		/**
		 * After a stop was signalled: what has arrived, without waiting, or end of input.
		 */
		private int readArrived(byte[] bytes, int offset, int length) throws IOException {
			SocketChannel channel = ManagedConnection.this.channel;
			int count;
			synchronized (this) {
				channel.configureBlocking(false);
				try {
					count = channel.read(ByteBuffer.wrap(bytes, offset, length));
				}
				finally {
					channel.configureBlocking(true);
				}
			}
			return (count == 0) ? -1 : count;
		}

		@Override
		public void close() {
			UnixSocketBinder.closeQuietly(ManagedConnection.this.channel);
		}

	}

	private final class ChannelOutput extends OutputStream {

		@Override
		public void write(int b) throws IOException {
			write(new byte[] { (byte) b }, 0, 1);
		}

		/**
		 * Write in slices, each timed by the write timeout: a blocking channel writes a whole
		 * buffer before it returns, so a slow but reading peer makes progress slice by slice.
		 */
		@Override
		public void write(byte[] bytes, int offset, int length) throws IOException {
			int end = offset + length;
			for (int start = offset; start < end;) {
				ByteBuffer slice = ByteBuffer.wrap(bytes, start, Math.min(WRITE_SLICE, end - start));
				ManagedConnection.this.writingSinceNanos = Math.max(System.nanoTime(), 1);
				try {
					while (slice.hasRemaining()) {
						ManagedConnection.this.listener.sent(ManagedConnection.this.channel.write(slice));
					}
				}
				catch (ClosedChannelException ex) {
					if (ManagedConnection.this.writeTimedOut) {
						throw new IOException("Closed " + describe() + ": its peer read nothing for the write timeout",
								ex);
					}
					throw ex;
				}
				finally {
					ManagedConnection.this.writingSinceNanos = 0;
				}
				start = slice.position();
			}
		}

		@Override
		public void close() {
			UnixSocketBinder.closeQuietly(ManagedConnection.this.channel);
		}

	}

}
