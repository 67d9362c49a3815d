package io.github.glidesocket.core;

import java.io.OutputStream;
import java.nio.ByteBuffer;

/**
 * An accepted connection served by an event loop, as seen by a {@link SocketEventHandler} and
 * its {@link SocketSession}. Write to it only inside its own handler and session calls, on its
 * loop thread; anywhere else the write methods throw {@link IllegalStateException}.
 * <p>
 * Writing never blocks: bytes are buffered and the loop sends them when the call returns. While
 * they cannot all be sent, the loop stops reading from the connection.
 */
public interface EventConnection extends AcceptedConnection {

	/**
	 * The most input bytes a session may leave unconsumed before the connection is closed.
	 */
	int MAX_UNCONSUMED_INPUT = 1024 * 1024;

	/**
	 * Queue bytes to send to the peer; they are copied.
	 * @param bytes the bytes, from their position to their limit; the position moves to the limit
	 */
	void write(ByteBuffer bytes);

	/**
	 * Queue bytes to send to the peer; they are copied.
	 * @param bytes the array
	 * @param offset the first byte to send
	 * @param length how many bytes to send
	 */
	void write(byte[] bytes, int offset, int length);

	/**
	 * A stream view of {@link #write(byte[], int, int)}, for writers built on streams. Its
	 * {@code flush()} and {@code close()} do nothing: the loop sends after each call.
	 * @return the output stream
	 */
	OutputStream outputStream();

	/**
	 * The bytes written and not yet sent to the peer.
	 * @return the pending byte count
	 */
	int pendingOutputBytes();

	/**
	 * Close the connection once the bytes already written are sent; input that arrives
	 * meanwhile is ignored.
	 */
	void close();

}
