package io.github.glidesocket.sample.resp;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;

import io.github.glidesocket.core.SocketSession;

/**
 * The two ways a {@link RespConnectionHandler} serves a connection, driven over in-memory
 * streams, so that each protocol test runs in both.
 */
enum ServeMode {

	/** {@link RespConnectionHandler#handle}, reading the stream itself. */
	THREAD_PER_CONNECTION {

		@Override
		void serve(RespConnectionHandler handler, long id, InputStream input, OutputStream output) throws Exception {
			handler.handle(new TestSocketConnection(id, input, output));
		}

	},

	/**
	 * {@link RespConnectionHandler#eventHandler()}, given each read as an event loop gives it:
	 * at most 64 KB at a time, after the bytes the session left unconsumed, until the session
	 * closes the connection or the input ends. Replies count as sent at once; as the loop
	 * promises once they are, the bytes a session left are offered again, for as long as the
	 * session writes more replies.
	 */
	EVENT_LOOP {

		@Override
		void serve(RespConnectionHandler handler, long id, InputStream input, OutputStream output) throws Exception {
			TestEventConnection connection = new TestEventConnection(id, output);
			SocketSession session = handler.eventHandler().open(connection);
			try {
				byte[] read = new byte[64 * 1024];
				ByteBuffer unconsumed = ByteBuffer.allocate(0);
				int count;
				while (!connection.isClosing() && (count = input.read(read)) >= 0) {
					ByteBuffer received = ByteBuffer.allocate(unconsumed.remaining() + count)
						.put(unconsumed)
						.put(read, 0, count)
						.flip();
					connection.wroteSinceLastAsked();
					session.received(received);
					while (received.hasRemaining() && !connection.isClosing() && connection.wroteSinceLastAsked()) {
						session.received(received);
					}
					unconsumed = received;
				}
				if (!connection.isClosing()) {
					session.endOfInput();
				}
			}
			finally {
				session.closed();
			}
		}

	};

	/**
	 * Serve one connection until it ends.
	 * @param handler the handler
	 * @param id the connection id
	 * @param input the requests
	 * @param output where the replies go
	 * @throws Exception what the handler throws
	 */
	abstract void serve(RespConnectionHandler handler, long id, InputStream input, OutputStream output)
			throws Exception;

}
