package io.github.glidesocket.sample;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * How the sample's key-value service serves connections, and the limits of its protocol.
 */
@ConfigurationProperties("sample.resp")
public class SampleProperties {

	/**
	 * Largest bulk string a request may declare, in bytes; a larger one closes the connection.
	 */
	private int maxBulkLength = 64 * 1024 * 1024;

	/**
	 * Most elements a request may declare; more closes the connection.
	 */
	private int maxMultibulkLength = 1024 * 1024;

	/**
	 * Most bytes all connections may hold at once for the requests they are reading or running;
	 * a request beyond it gets an error reply and its connection is closed. Default: a quarter of
	 * the maximum heap. Use -1 for no limit.
	 */
	private @Nullable Long maxBufferedRequestBytes;

	/**
	 * How connections are served: 'event-loop' (a few selector threads, non-blocking I/O) or
	 * 'thread-per-connection' (each connection on its own thread, blocking I/O).
	 */
	private ConnectionMode connectionMode = ConnectionMode.DEFAULT;

	public int getMaxBulkLength() {
		return this.maxBulkLength;
	}

	public void setMaxBulkLength(int maxBulkLength) {
		this.maxBulkLength = maxBulkLength;
	}

	public @Nullable Long getMaxBufferedRequestBytes() {
		return this.maxBufferedRequestBytes;
	}

	public void setMaxBufferedRequestBytes(@Nullable Long maxBufferedRequestBytes) {
		this.maxBufferedRequestBytes = maxBufferedRequestBytes;
	}

	public ConnectionMode getConnectionMode() {
		return this.connectionMode;
	}

	public void setConnectionMode(ConnectionMode connectionMode) {
		this.connectionMode = connectionMode;
	}

	public int getMaxMultibulkLength() {
		return this.maxMultibulkLength;
	}

	public void setMaxMultibulkLength(int maxMultibulkLength) {
		this.maxMultibulkLength = maxMultibulkLength;
	}

	/**
	 * How the key-value socket serves its connections.
	 */
	public enum ConnectionMode {

		/** On the socket manager's event loops: a few threads serve every connection. */
		EVENT_LOOP,

		/** Each connection on its own thread. */
		THREAD_PER_CONNECTION;

		static final ConnectionMode DEFAULT = EVENT_LOOP;

	}

}
