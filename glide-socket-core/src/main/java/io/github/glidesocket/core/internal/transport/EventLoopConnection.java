package io.github.glidesocket.core.internal.transport;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.concurrent.atomic.AtomicBoolean;

import io.github.glidesocket.core.EventConnection;
import io.github.glidesocket.core.PeerCredentials;
import io.github.glidesocket.core.SocketCallback;
import io.github.glidesocket.core.SocketEventHandler;
import io.github.glidesocket.core.SocketManager;
import io.github.glidesocket.core.SocketSession;
import io.github.glidesocket.core.internal.binding.UnixSocketBinder;

import org.jspecify.annotations.Nullable;

/**
 * One accepted connection served by an {@link EventLoop}: reads what arrives, hands it to the
 * session, sends what the session writes, and stops reading while replies are waiting to be sent
 * (back-pressure). Everything runs on the loop thread; {@link #signalShutdown()} and
 * {@link #forceClose()} may be called from any thread and hand their work to the loop.
 * <p>
 * Input is read into the loop's shared buffer; only bytes a session leaves unconsumed are copied
 * to a buffer of the connection's own, so an idle connection holds no buffers.
 */
public final class EventLoopConnection extends ConnectionIdentity
		implements EventConnection, ServedConnection, SelectionHandler {

	private static final System.Logger logger = System.getLogger(SocketManager.class.getName());

	private static final int FIRST_UNCONSUMED_CAPACITY = 4 * 1024;

	private final SocketChannel channel;

	private final SocketEventHandler handler;

	private final UnixSocketListener listener;

	private final long idleTimeoutNanos;

	private final EventLoop loop;

	private final BufferBudget budget;

	private final long maxPendingOutput;

	/** A buffer for unconsumed input could not be reserved from the manager's budget. */
	private boolean overBudget;

	private @Nullable SelectionKey key;

	private @Nullable SocketSession session;

	private @Nullable OutputBuffer output;

	/** Bytes the session left unconsumed, ready to be read into (position at their end). */
	private @Nullable ByteBuffer unconsumed;

	private final OutputStream outputStream = new OutputStream() {

		@Override
		public void write(int b) {
			writableOutput().write(b);
		}

		@Override
		public void write(byte[] bytes, int offset, int length) {
			writableOutput().write(bytes, offset, length);
		}

	};

	private long lastInputNanos;

	/** Close once the output is sent: the session asked, or the input ended. */
	private boolean closing;

	private boolean closed;

	/** Whether the loop counts this connection as its own (it was opened there). Loop thread. */
	private boolean added;

	/** Set by the first {@link #signalShutdown()}: the session hears of a stop once. */
	private final AtomicBoolean shutdownSignalled = new AtomicBoolean();

	/** Whether the session has been told of the stop. Loop thread. */
	private boolean shutdownNoticed;

	/** The application's code being called, so a failure is reported as its own. Loop thread. */
	private @Nullable SocketCallback calling;

	private final long writeTimeoutNanos;

	/** When sending last made progress, or output began to wait, in {@link System#nanoTime()}. */
	private long lastSendProgressNanos;

	/** Whether output waited unsent after the last flush. */
	private boolean waitingToSend;

	EventLoopConnection(long id, String path, SocketChannel channel, PeerCredentials peer, SocketEventHandler handler,
			UnixSocketListener listener, long idleTimeoutNanos, long writeTimeoutNanos, EventLoop loop,
			BufferBudget budget, long maxPendingOutput) {
		super("EventConnection", id, path, peer);
		this.channel = channel;
		this.budget = budget;
		this.maxPendingOutput = maxPendingOutput;
		this.handler = handler;
		this.listener = listener;
		this.idleTimeoutNanos = idleTimeoutNanos;
		this.writeTimeoutNanos = writeTimeoutNanos;
		this.loop = loop;
	}

	/**
	 * Register with the loop's selector and open the session. Loop thread.
	 */
	void open(EventLoop loop) {
		if (this.closed) {
			return;
		}
		this.output = new OutputBuffer(loop.outputStaging(), this.budget, this.maxPendingOutput);
		this.lastInputNanos = System.nanoTime();
		loop.serving(this);
		try {
			this.channel.configureBlocking(false);
			this.key = this.channel.register(loop.selector(), SelectionKey.OP_READ, this);
			loop.added(this, idleDeadline());
			this.added = true;
			this.calling = SocketCallback.EVENT_HANDLER;
			this.session = this.handler.open(this);
			this.calling = null;
			afterCall();
			if (this.shutdownSignalled.get()) {
				// The stop came before the connection reached its loop.
				noticeShutdown();
			}
			if (!this.closed && !this.closing) {
				// Bytes often arrive with the connection; read them now rather than after a select.
				read();
			}
		}
		catch (Throwable ex) {
			failed(ex);
		}
		finally {
			loop.serving(null);
		}
	}

	/**
	 * Serve what the selector found ready. Loop thread.
	 */
	@Override
	public void ready(SelectionKey key) {
		this.loop.serving(this);
		try {
			if (!key.isValid()) {
				closeNow();
				return;
			}
			int ready = key.readyOps();
			if ((ready & SelectionKey.OP_WRITE) != 0) {
				send();
			}
			else if ((ready & SelectionKey.OP_READ) != 0) {
				read();
			}
		}
		catch (Throwable ex) {
			failed(ex);
		}
		finally {
			this.loop.serving(null);
		}
	}

	private void read() throws Exception {
		ByteBuffer buffer = this.unconsumed;
		if (buffer == null) {
			buffer = this.loop.readBuffer();
			buffer.clear();
		}
		else if (!buffer.hasRemaining()) {
			buffer = growUnconsumed(buffer);
		}
		int count = this.channel.read(buffer);
		if (count < 0) {
			endOfInput();
			return;
		}
		if (count == 0) {
			return;
		}
		this.listener.received(count);
		this.lastInputNanos = System.nanoTime();
		buffer.flip();
		this.calling = SocketCallback.SESSION;
		session().received(buffer);
		this.calling = null;
		keepUnconsumed(buffer);
		afterCall();
	}

	private ByteBuffer growUnconsumed(ByteBuffer full) throws IOException {
		if (full.capacity() >= MAX_UNCONSUMED_INPUT) {
			throw new IOException("The session left more than " + MAX_UNCONSUMED_INPUT + " bytes unconsumed");
		}
		ByteBuffer grown = allocateUnconsumed(Math.min(full.capacity() * 2, MAX_UNCONSUMED_INPUT));
		grown.put(full.flip());
		dropUnconsumed();
		this.unconsumed = grown;
		return grown;
	}

	private void keepUnconsumed(ByteBuffer buffer) throws IOException {
		if (!buffer.hasRemaining()) {
			dropUnconsumed();
		}
		else if (buffer == this.unconsumed) {
			buffer.compact();
		}
		else {
			ByteBuffer own = allocateUnconsumed(Math.max(FIRST_UNCONSUMED_CAPACITY, buffer.remaining() * 2));
			this.unconsumed = own.put(buffer);
		}
	}

	/**
	 * A buffer of the connection's own for input its session left, reserved from the manager's
	 * budget; a connection that cannot reserve it is closed.
	 */
	private ByteBuffer allocateUnconsumed(int capacity) throws IOException {
		if (!this.budget.tryReserve(capacity)) {
			this.overBudget = true;
			throw new IOException("The manager's buffers are full; closing " + describe());
		}
		return ByteBuffer.allocate(capacity);
	}

	private void dropUnconsumed() {
		ByteBuffer buffer = this.unconsumed;
		if (buffer != null) {
			this.budget.release(buffer.capacity());
			this.unconsumed = null;
		}
	}

	private void endOfInput() throws Exception {
		dropUnconsumed();
		this.closing = true;
		this.calling = SocketCallback.SESSION;
		session().endOfInput();
		this.calling = null;
		afterCall();
	}

	/**
	 * Send what the session wrote; while some is left, wait for the socket to take more instead of
	 * reading. Input the session left while it wrote replies is offered again once they are sent
	 * ({@link #send()}), also when the socket took them all at once: then on the loop's next
	 * round, through a write-readiness that is immediate.
	 */
	private void afterCall() throws IOException {
		if (this.closed) {
			return;
		}
		if (output().overflowed()) {
			outputLimitExceeded();
			return;
		}
		boolean wrote = output().pending() > 0;
		if (!flush()) {
			if (output().overflowed()) {
				outputLimitExceeded();
				return;
			}
			interest(SelectionKey.OP_WRITE);
		}
		else if (this.closing) {
			closeNow();
		}
		else if (wrote && this.unconsumed != null) {
			// A session may stop consuming while its replies wait (its own back-pressure); if the
			// socket took them at once, nothing else would offer the rest again before new input.
			interest(SelectionKey.OP_WRITE);
		}
	}

	/**
	 * Send what waits, as far as the socket takes it, and count what was sent.
	 * @return whether everything was sent
	 */
	private boolean flush() throws IOException {
		OutputBuffer output = output();
		int before = output.pending();
		boolean done = output.sendTo(this.channel);
		int sent = before - output.pending();
		if (sent > 0) {
			this.listener.sent(sent);
		}
		if (!done && (sent > 0 || !this.waitingToSend)) {
			// Output waits from now: the write timeout counts from the last progress.
			this.lastSendProgressNanos = System.nanoTime();
			if (this.writeTimeoutNanos > 0) {
				this.loop.checkBy(this.lastSendProgressNanos + this.writeTimeoutNanos);
			}
		}
		this.waitingToSend = !done;
		return done;
	}

	private void send() throws Exception {
		if (!flush()) {
			return;
		}
		if (this.closing) {
			closeNow();
			return;
		}
		interest(SelectionKey.OP_READ);
		ByteBuffer unconsumed = this.unconsumed;
		if (unconsumed != null) {
			// A session may leave requests unconsumed while its replies wait (its own back-pressure):
			// offer them again now that the replies are out, before reading more.
			unconsumed.flip();
			this.calling = SocketCallback.SESSION;
			session().received(unconsumed);
			this.calling = null;
			keepUnconsumed(unconsumed);
			afterCall();
		}
	}

	private void interest(int ops) {
		SelectionKey key = this.key;
		if (key != null && key.interestOps() != ops) {
			key.interestOps(ops);
		}
	}

	/**
	 * Close the connection if its peer has sent nothing for the idle timeout while it waited for
	 * input. Loop thread.
	 * @return when to check again, in {@link System#nanoTime()}; {@code Long.MAX_VALUE} for never
	 */
	long checkIdle(long now) {
		if (this.closed) {
			return Long.MAX_VALUE;
		}
		if (output().pending() > 0) {
			// Waiting for the peer to read, not to write: the write timeout applies, not the idle one.
			if (this.writeTimeoutNanos <= 0) {
				return Long.MAX_VALUE;
			}
			long deadline = this.lastSendProgressNanos + this.writeTimeoutNanos;
			if (now - deadline >= 0) {
				logger.log(System.Logger.Level.DEBUG, () -> "Closing " + describe() + ": its peer read nothing for the"
						+ " write timeout");
				closeNow();
				this.listener.writeTimedOut();
				return Long.MAX_VALUE;
			}
			return deadline;
		}
		if (now - idleDeadline() >= 0) {
			logger.log(System.Logger.Level.DEBUG, () -> "Closing idle " + describe());
			closeNow();
			return Long.MAX_VALUE;
		}
		return idleDeadline();
	}

	private long idleDeadline() {
		return (this.idleTimeoutNanos > 0) ? this.lastInputNanos + this.idleTimeoutNanos : Long.MAX_VALUE;
	}

	/**
	 * The session wrote more than the connection may keep waiting, or the manager's buffers are
	 * full: close the connection and report it, without a stack trace.
	 */
	private void outputLimitExceeded() {
		logger.log(System.Logger.Level.DEBUG, () -> "Closing " + describe() + ": its replies exceed the output limit");
		closeNow();
		this.listener.outputLimitExceeded();
	}

	private void failed(Throwable ex) {
		SocketCallback callback = this.calling;
		this.calling = null;
		if (this.overBudget) {
			outputLimitExceeded();
			return;
		}
		if (callback != null && !this.closed) {
			closeNow();
			this.listener.callbackFailed(callback, ex, () -> "The " + callback.tagValue() + " of " + describe()
					+ " from " + peer() + " failed; the connection is closed");
			return;
		}
		if (this.closed || ManagedConnection.isPeerGone(ex)) {
			logger.log(System.Logger.Level.DEBUG, () -> "The " + describe() + " ended: " + ex);
		}
		else {
			logger.log(System.Logger.Level.WARNING, "Event handler failed on " + describe() + " from " + peer()
					+ "; closing the connection", ex);
		}
		closeNow();
	}

	/**
	 * Close the connection and tell the session and the listener, once. Loop thread, or the
	 * accepting thread before the connection reached its loop.
	 */
	void closeNow() {
		if (this.closed) {
			return;
		}
		this.closed = true;
		SelectionKey key = this.key;
		if (key != null) {
			key.cancel();
		}
		UnixSocketBinder.closeQuietly(this.channel);
		dropUnconsumed();
		if (this.output != null) {
			this.output.discard();
		}
		if (this.added) {
			this.loop.removed(this);
		}
		SocketSession session = this.session;
		if (session != null) {
			try {
				session.closed();
			}
			catch (Throwable ex) {
				this.listener.callbackFailed(SocketCallback.SESSION, ex,
						() -> "The session of " + describe() + " failed when closed");
			}
		}
		this.listener.connectionEnded(this);
	}

	/**
	 * Tell the session that the socket is stopping, on the loop thread, then end the input: the
	 * loop reads the bytes already received, then calls {@code endOfInput}.
	 */
	@Override
	public void signalShutdown() {
		if (!this.shutdownSignalled.compareAndSet(false, true)) {
			return;
		}
		if (this.loop.inLoop() || this.loop.hasEnded()) {
			noticeShutdown();
		}
		else {
			this.loop.execute(this::noticeShutdown);
		}
	}

	private void noticeShutdown() {
		SocketSession session = this.session;
		if (this.closed || this.shutdownNoticed) {
			return;
		}
		if (session == null && this.loop.inLoop()) {
			// Not open yet: open() notices the stop once the session exists.
			return;
		}
		this.shutdownNoticed = true;
		if (session != null && this.loop.inLoop()) {
			EventLoopConnection outer = this.loop.serving();
			this.loop.serving(this);
			try {
				// A request already received is offered first: once the input is half-closed the
				// JDK reads nothing more, and a connection closed with unread bytes is reset.
				if (!this.closing && pendingOutputBytes() == 0) {
					read();
				}
				if (this.closed || this.closing) {
					return;
				}
				this.calling = SocketCallback.SESSION;
				session.shutdownRequested();
				this.calling = null;
				afterCall();
			}
			catch (Throwable ex) {
				failed(ex);
			}
			finally {
				// Called from open() too, which goes on serving this connection.
				this.loop.serving(outer);
			}
		}
		if (this.closed) {
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
		if (this.loop.inLoop() || this.loop.hasEnded()) {
			closeNow();
		}
		else {
			this.loop.execute(this::closeNow);
		}
	}

	private SocketSession session() {
		SocketSession session = this.session;
		if (session == null) {
			throw new IllegalStateException("Connection " + id() + " has no session");
		}
		return session;
	}

	private OutputBuffer output() {
		OutputBuffer output = this.output;
		if (output == null) {
			throw new IllegalStateException("Connection " + id() + " is not open yet");
		}
		return output;
	}

	@Override
	public void write(ByteBuffer bytes) {
		writableOutput().write(bytes);
	}

	@Override
	public void write(byte[] bytes, int offset, int length) {
		writableOutput().write(bytes, offset, length);
	}

	@Override
	public OutputStream outputStream() {
		return this.outputStream;
	}

	/**
	 * The output, checked to be written from this connection's own calls: the loop's staging
	 * array belongs to the connection being served, and output written elsewhere would never be
	 * sent.
	 */
	private OutputBuffer writableOutput() {
		if (!this.loop.inLoop() || this.loop.serving() != this) {
			throw new IllegalStateException("Connection " + id()
					+ " can be written only inside its own handler and session calls, on its loop thread");
		}
		return output();
	}

	@Override
	public int pendingOutputBytes() {
		OutputBuffer output = this.output;
		return (output != null) ? output.pending() : 0;
	}

	@Override
	public void close() {
		this.closing = true;
	}

}
