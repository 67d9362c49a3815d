package io.github.glidesocket.sample.process;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

import org.newsclub.net.unix.AFUNIXSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;

/**
 * A client that keeps one connection busy with {@code INCR} on a key of its own, sending
 * {@code depth} requests at a time (pipelined when the depth is above one) and reading their
 * replies. Since only this client touches its key, the n-th reply must be {@code :n}: any lost,
 * repeated, reordered or garbled reply shows as a wrong number.
 * <p>
 * The connection may end: at a reply boundary (end-of-stream or a reset before the first byte of
 * a reply) that is a clean end, recorded in {@link #endedByServer()}; anywhere else it is an
 * error. Errors are collected, never thrown, so a test can assert on them all at the end.
 */
final class CountingClient implements Runnable {

	private static final int READ_TIMEOUT_MILLIS = 10_000;

	private final Path socket;

	private final String key;

	private final int depth;

	private final AtomicLong sent = new AtomicLong();

	private final AtomicLong answered = new AtomicLong();

	private final List<String> errors = new CopyOnWriteArrayList<>();

	private volatile long lastAnswerNanos;

	private volatile boolean stopping;

	private volatile boolean endedByServer;

	CountingClient(Path socket, String key, int depth) {
		this.socket = socket;
		this.key = key;
		this.depth = depth;
	}

	/**
	 * Start the client on a platform thread of its own.
	 * @return the thread
	 */
	Thread start() {
		Thread thread = new Thread(this, "counting-client-" + this.key);
		thread.setDaemon(true);
		thread.start();
		return thread;
	}

	@Override
	public void run() {
		byte[] key = this.key.getBytes(StandardCharsets.US_ASCII);
		byte[] request = ("*2\r\n$4\r\nINCR\r\n$" + key.length + "\r\n" + this.key + "\r\n")
			.getBytes(StandardCharsets.US_ASCII);
		try (AFUNIXSocket connection = AFUNIXSocket.connectTo(AFUNIXSocketAddress.of(this.socket))) {
			connection.setSoTimeout(READ_TIMEOUT_MILLIS);
			OutputStream output = connection.getOutputStream();
			InputStream input = connection.getInputStream();
			while (!this.stopping) {
				byte[] batch = new byte[request.length * this.depth];
				for (int i = 0; i < this.depth; i++) {
					System.arraycopy(request, 0, batch, i * request.length, request.length);
				}
				try {
					output.write(batch);
					output.flush();
				}
				catch (IOException ex) {
					// The server closed the connection after answering every earlier batch.
					this.endedByServer = true;
					return;
				}
				this.sent.addAndGet(this.depth);
				for (int i = 0; i < this.depth; i++) {
					String reply = readReply(input);
					if (reply == null) {
						this.endedByServer = true;
						return;
					}
					long expected = this.answered.get() + 1;
					if (!reply.equals(":" + expected)) {
						this.errors.add(this.key + ": reply " + expected + " was '" + reply + "'");
						return;
					}
					this.answered.set(expected);
					this.lastAnswerNanos = System.nanoTime();
				}
			}
		}
		catch (IOException | RuntimeException ex) {
			this.errors.add(this.key + ": " + ex);
		}
	}

	/**
	 * Read one single-line reply.
	 * @return the line, or {@code null} if the connection ended cleanly before it
	 * @throws IOException if the connection ended inside the reply or the read failed
	 */
	private String readReply(InputStream input) throws IOException {
		ByteArrayOutputStream line = new ByteArrayOutputStream();
		int previous = -1;
		while (true) {
			int next;
			try {
				next = input.read();
			}
			catch (IOException ex) {
				if (line.size() == 0 && !(ex instanceof SocketTimeoutException)) {
					// A reset between replies: the server closed with requests it had not read.
					return null;
				}
				throw ex;
			}
			if (next == -1) {
				if (line.size() == 0) {
					return null;
				}
				throw new IOException(
						"Connection ended inside a reply, after '" + line.toString(StandardCharsets.US_ASCII) + "'");
			}
			if (previous == '\r' && next == '\n') {
				byte[] bytes = line.toByteArray();
				return new String(bytes, 0, bytes.length - 1, StandardCharsets.US_ASCII);
			}
			line.write(next);
			previous = next;
		}
	}

	/**
	 * Stop after the replies of the batch in flight have been read.
	 */
	void stop() {
		this.stopping = true;
	}

	long sent() {
		return this.sent.get();
	}

	long answered() {
		return this.answered.get();
	}

	List<String> errors() {
		return this.errors;
	}

	boolean endedByServer() {
		return this.endedByServer;
	}

	long lastAnswerNanos() {
		return this.lastAnswerNanos;
	}

}
