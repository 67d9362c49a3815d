package io.github.glidesocket.sample.resp;

import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.function.Supplier;

import io.github.glidesocket.core.AcceptedConnection;
import io.github.glidesocket.core.EventConnection;
import io.github.glidesocket.core.SocketConnection;
import io.github.glidesocket.core.SocketConnectionHandler;
import io.github.glidesocket.core.SocketEventHandler;
import io.github.glidesocket.core.SocketSession;

/**
 * Serves a key-value {@link RespStore} to Redis clients over a managed socket, speaking RESP2,
 * or RESP3 on a connection that asks for it with {@code HELLO 3}.
 * <p>
 * Each connection reads what its peer has sent, runs every complete request in it, and sends
 * all their replies with one flush (and one write, unless they outgrow the 4 KB reply buffer),
 * so a pipelining client pays one round trip per batch rather than per request. When the input
 * reaches end-of-stream, as it does when the socket stops gracefully, every request already read
 * has been answered and the handler returns; an unfinished request at that point is dropped.
 * RESP has no goodbye message, so when the socket stops an idle event-loop connection is closed
 * at once, and any other one after the replies to what it sent.
 * <p>
 * An unknown command or bad arguments get an error reply and the connection goes on. Bytes that
 * are not RESP, or a declared length over the {@link RespLimits}, get a
 * {@code -ERR Protocol error: ...} reply and the connection closes, as the server can no longer
 * tell where the next request starts; so does a request for which the connections together
 * have no room left ({@code -ERR max buffered request bytes reached}). {@code QUIT} closes it
 * after its reply.
 * <p>
 * One instance serves any number of connections at once, each on its own thread, or, through
 * {@link #eventHandler()}, on the manager's event loops. Connections
 * share only the store and the info supplier; an exception thrown while serving one connection
 * propagates from {@link #handle} for that connection alone.
 */
public final class RespConnectionHandler implements SocketConnectionHandler {

	private static final Logger logger = System.getLogger(RespConnectionHandler.class.getName());

	private final RespLimits limits;

	private final RespRequestBudget budget;

	private final RespCommands commands;

	/**
	 * Create a handler with the {@link RespLimits#defaults() default limits} and an empty
	 * {@code # Glidesocket} section in {@code INFO}.
	 * @param store the store to serve
	 */
	public RespConnectionHandler(RespStore store) {
		this(store, RespLimits.defaults(), Map::of);
	}

	/**
	 * Create a handler.
	 * @param store the store to serve
	 * @param limits the limits on each request
	 * @param info the fields of the {@code # Glidesocket} section of {@code INFO}, in iteration
	 * order. Called on a connection thread each time a client asks, so it must be thread-safe
	 * and quick; what it throws closes that client's connection. Line breaks in names and values
	 * become spaces and colons in names become underscores
	 */
	public RespConnectionHandler(RespStore store, RespLimits limits, Supplier<Map<String, String>> info) {
		if (store == null) {
			throw new IllegalArgumentException("'store' must not be null");
		}
		if (limits == null) {
			throw new IllegalArgumentException("'limits' must not be null");
		}
		if (info == null) {
			throw new IllegalArgumentException("'info' must not be null");
		}
		this.limits = limits;
		this.budget = new RespRequestBudget(limits.maxBufferedRequestBytes());
		this.commands = new RespCommands(store, limits, info);
	}

	@Override
	public void handle(SocketConnection connection) throws IOException {
		RespParser parser = new RespParser(connection.inputStream(), this.limits, this.budget);
		RespWriter writer = new RespWriter(connection.outputStream());
		RespSession session = this.commands.open(connection.id(), connection.socketPath());
		try {
			while (parser.read()) {
				// Writes block while the peer does not read: that is the back-pressure here.
				if (!executeAll(connection, parser, session, writer)) {
					return;
				}
				writer.flush();
			}
			if (connection.isShutdownRequested()) {
				// RESP has no goodbye: every request read is answered, so returning closes cleanly.
				logger.log(Level.DEBUG, () -> "Closing connection " + connection.id() + " on "
						+ connection.socketPath() + ": the socket is stopping"
						+ (parser.isIdle() ? "" : "; dropped the request it was sending"));
			}
		}
		finally {
			parser.close();
			this.commands.close(session);
		}
	}

	/**
	 * The bytes the connections hold now for their requests, reserved from
	 * {@link RespLimits#maxBufferedRequestBytes()}, for tests.
	 * @return the reserved byte count
	 */
	long bufferedRequestBytes() {
		return this.budget.reserved();
	}

	/**
	 * The same service in event-loop mode: each connection is a {@link SocketSession} called on
	 * one of the manager's loop threads with the bytes received, sharing this handler's store,
	 * limits and {@code INFO} supplier. Commands never block, so they run on the loop thread.
	 * @return the event handler
	 */
	public SocketEventHandler eventHandler() {
		return (connection) -> new EventSession(connection);
	}

	/**
	 * Run every complete request the parser holds, until the writer is backed up.
	 * @return {@code false} if the connection must close: {@code QUIT}, or a request that cannot
	 * be read; the replies are then flushed
	 */
	private boolean executeAll(AcceptedConnection connection, RespParser parser, RespSession session,
			RespWriter writer) throws IOException {
		try {
			for (RespRequest request = parser.next(); request != null;
					request = writer.isBackedUp() ? null : parser.next()) {
				this.commands.execute(session, request, writer);
				if (writer.isReplyUnfinished()) {
					// The request stays reserved from the budget until its reply is complete.
					return true;
				}
				parser.done();
				if (session.isClosing()) {
					writer.flush();
					return false;
				}
			}
			return true;
		}
		catch (RespProtocolException ex) {
			logger.log(Level.DEBUG, () -> "Closing connection " + connection.id() + " on " + connection.socketPath()
					+ ": " + ex.getMessage());
			writer.writeError("ERR " + ex.getMessage());
			writer.flush();
			return false;
		}
	}

	/**
	 * One connection in event-loop mode. Writes never block here: the loop buffers what the peer
	 * has not read, and reads nothing more from it until that is sent. So that a client that does
	 * not read holds about {@link #MAX_PENDING_REPLIES} of replies rather than a reply per
	 * request, the session runs no further request while that much waits, and leaves the bytes of
	 * the requests not yet run unconsumed; the loop offers them again once the replies are out.
	 * <p>
	 * A reply longer than that (a large value, {@code MGET} of many values, {@code KEYS}) is
	 * written in parts in the same way: the writer stops when the backlog is full, and the
	 * session leaves unconsumed the last byte of the request being answered, besides any later
	 * requests. When the loop offers that byte again, the reply goes on from where it stopped
	 * and the byte is consumed once the reply is complete, so nothing is run twice.
	 */
	private final class EventSession implements SocketSession {

		/**
		 * Reply bytes waiting to be sent above which no further request is run, and a long reply
		 * pauses, until they are out.
		 */
		static final int MAX_PENDING_REPLIES = 256 * 1024;

		private final EventConnection connection;

		private final RespParser parser = new RespParser(RespConnectionHandler.this.limits,
				RespConnectionHandler.this.budget);

		private final RespWriter writer;

		private final RespSession session;

		/** The first byte offered is the last of the request whose reply is unfinished. */
		private boolean replyUnfinished;

		EventSession(EventConnection connection) {
			this.connection = connection;
			this.writer = new RespWriter(connection.outputStream(), connection::pendingOutputBytes,
					MAX_PENDING_REPLIES);
			this.session = RespConnectionHandler.this.commands.open(connection.id(), connection.socketPath());
		}

		@Override
		public void received(ByteBuffer input) throws IOException {
			if (this.replyUnfinished) {
				if (!this.writer.resume()) {
					this.writer.flush();
					return;
				}
				input.get();
				this.replyUnfinished = false;
				this.parser.done();
			}
			int start = input.position();
			while (input.hasRemaining() && !this.writer.isBackedUp()) {
				this.parser.append(input);
				if (!executeAll(this.connection, this.parser, this.session, this.writer)) {
					input.position(input.limit());
					this.connection.close();
					return;
				}
			}
			if (this.writer.isBackedUp()) {
				leaveForLater(input, start);
			}
			this.writer.flush();
		}

		/**
		 * Leave the requests not yet run, and the last byte of a request whose reply is
		 * unfinished, for the loop to offer again.
		 */
		private void leaveForLater(ByteBuffer input, int start) {
			int position = input.position() - this.parser.giveBackUnparsed(input.position() - start);
			if (this.writer.isReplyUnfinished()) {
				if (position == start) {
					throw new IllegalStateException("The request whose reply is unfinished ended before the bytes "
							+ "received on connection " + this.connection.id());
				}
				position--;
				this.replyUnfinished = true;
			}
			input.position(position);
		}

		/**
		 * Close the connection now if it is idle: no request in progress, no reply unfinished or
		 * waiting to be sent. Otherwise the loop ends its input, this session answers what was
		 * received, and the loop closes it once the replies are sent.
		 */
		@Override
		public void shutdownRequested() {
			if (this.parser.isIdle() && !this.replyUnfinished && this.connection.pendingOutputBytes() == 0) {
				this.connection.close();
			}
		}

		@Override
		public void endOfInput() {
			if (this.replyUnfinished) {
				logger.log(Level.DEBUG, () -> "The input of connection " + this.connection.id() + " on "
						+ this.connection.socketPath() + " ended before its last reply was written; the reply is cut");
			}
		}

		@Override
		public void closed() {
			this.parser.close();
			RespConnectionHandler.this.commands.close(this.session);
		}

	}

}
