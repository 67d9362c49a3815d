package io.github.glidesocket.core;

import java.nio.ByteBuffer;

/**
 * One connection served by a {@link SocketEventHandler}: created when the connection is
 * accepted, then called on the connection's loop thread, one call at a time, never
 * concurrently. Calls must not block.
 * <p>
 * Replies are written to the {@link EventConnection} the handler was given; the loop sends them
 * after each call returns.
 */
public interface SocketSession {

	/**
	 * Bytes have arrived. Consume every complete request from {@code input} and leave the bytes
	 * of an unfinished one where they are: they are offered again, followed by the bytes that
	 * arrive next. Up to {@value EventConnection#MAX_UNCONSUMED_INPUT} bytes may be left
	 * unconsumed; a connection whose session leaves more is closed. The buffer is lent for the
	 * call only: copy what must be kept.
	 * <p>
	 * The loop reads nothing more until the replies written in this call are sent. A session
	 * whose requests can produce large replies may also stop consuming early when
	 * {@link EventConnection#pendingOutputBytes()} is high: the bytes it left are offered again
	 * once the replies are sent.
	 * @param input the bytes received and not yet consumed, from its position to its limit
	 * @throws Exception on any failure; the connection is closed and the failure logged
	 */
	void received(ByteBuffer input) throws Exception;

	/**
	 * The socket is about to stop gracefully: the notice comes before the input is ended, so
	 * that a protocol can tell its peer (as HTTP/1.1 answers with {@code Connection: close} and
	 * HTTP/2 sends {@code GOAWAY}). Write a goodbye if the protocol has one; close the connection
	 * at once if it is idle ({@link EventConnection#close()}); or do nothing, and a request in
	 * progress is served: then {@link #endOfInput()} follows after the bytes already received.
	 * Called at most once, on the loop thread.
	 * @throws Exception on any failure; the connection is closed and the failure logged
	 */
	default void shutdownRequested() throws Exception {
	}

	/**
	 * The peer will send nothing more: it shut down its output, or the socket is stopping
	 * gracefully. Replies written now are still sent, then the connection is closed. Bytes left
	 * unconsumed by {@link #received} are dropped.
	 * @throws Exception on any failure; the connection is closed and the failure logged
	 */
	default void endOfInput() throws Exception {
	}

	/**
	 * The connection is closed, for any reason; release what the session holds. Called once,
	 * last. An exception is logged.
	 */
	default void closed() {
	}

}
