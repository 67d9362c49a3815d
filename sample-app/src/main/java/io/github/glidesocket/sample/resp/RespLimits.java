package io.github.glidesocket.sample.resp;

/**
 * The limits on the requests a handler reads. A request that declares a length over a limit is
 * answered with a protocol error and its connection is closed before anything of that size is
 * allocated. Within the limits, memory for an argument grows with the bytes that actually
 * arrive, not with the length the peer declares, and all connections of a handler together hold
 * at most {@code maxBufferedRequestBytes} for their requests.
 *
 * @param maxBulkLength the largest argument of a multibulk request, in bytes
 * @param maxMultibulkLength the most arguments one multibulk request may declare
 * @param maxInlineLength the longest line, in bytes and without its line ending, of an inline
 * request or of a multibulk length line ({@code *N} or {@code $N})
 * @param maxBufferedRequestBytes the most bytes all connections of one handler may hold at once
 * for the requests they are reading or running: the arguments received so far and line buffers
 * grown past their initial size. The request that would take the total beyond it gets the error
 * {@code ERR max buffered request bytes reached} and its connection is closed, so that partial
 * requests on many connections cannot fill the heap; a request larger than this limit is never
 * served. {@code -1} for no limit
 */
public record RespLimits(int maxBulkLength, int maxMultibulkLength, int maxInlineLength,
		long maxBufferedRequestBytes) {

	/**
	 * The default largest argument: 64 MB.
	 */
	public static final int DEFAULT_MAX_BULK_LENGTH = 64 * 1024 * 1024;

	/**
	 * The default most arguments of one request: 1,048,576.
	 */
	public static final int DEFAULT_MAX_MULTIBULK_LENGTH = 1024 * 1024;

	/**
	 * The default longest inline request: 64 KB.
	 */
	public static final int DEFAULT_MAX_INLINE_LENGTH = 64 * 1024;

	/**
	 * The largest value any length limit may take, so that a length plus its line ending still
	 * fits in an array.
	 */
	public static final int MAX_LIMIT = Integer.MAX_VALUE - 16;

	private static final RespLimits DEFAULTS = new RespLimits(DEFAULT_MAX_BULK_LENGTH,
			DEFAULT_MAX_MULTIBULK_LENGTH, DEFAULT_MAX_INLINE_LENGTH);

	/**
	 * Create limits.
	 * @throws IllegalArgumentException if {@code maxBulkLength} is negative, if
	 * {@code maxMultibulkLength} or {@code maxInlineLength} is not positive, if any of them is
	 * over {@link #MAX_LIMIT}, or if {@code maxBufferedRequestBytes} is neither positive nor
	 * {@code -1}
	 */
	public RespLimits {
		check("maxBulkLength", maxBulkLength, 0);
		check("maxMultibulkLength", maxMultibulkLength, 1);
		check("maxInlineLength", maxInlineLength, 1);
		if (maxBufferedRequestBytes < 1 && maxBufferedRequestBytes != -1) {
			throw new IllegalArgumentException("'maxBufferedRequestBytes' must be positive, or -1 for no limit, was "
					+ maxBufferedRequestBytes);
		}
	}

	/**
	 * Create limits with the {@link #defaultMaxBufferedRequestBytes() default} for all requests
	 * together.
	 * @param maxBulkLength the largest argument of a multibulk request, in bytes
	 * @param maxMultibulkLength the most arguments one multibulk request may declare
	 * @param maxInlineLength the longest line of an inline request or of a length line
	 */
	public RespLimits(int maxBulkLength, int maxMultibulkLength, int maxInlineLength) {
		this(maxBulkLength, maxMultibulkLength, maxInlineLength, defaultMaxBufferedRequestBytes());
	}

	/**
	 * The default limits: {@value #DEFAULT_MAX_BULK_LENGTH} bytes per argument,
	 * {@value #DEFAULT_MAX_MULTIBULK_LENGTH} arguments per request,
	 * {@value #DEFAULT_MAX_INLINE_LENGTH} bytes per inline request and a quarter of the heap for
	 * all requests together.
	 * @return the default limits
	 */
	public static RespLimits defaults() {
		return DEFAULTS;
	}

	/**
	 * The default most bytes all requests may hold together: a quarter of the JVM's maximum heap,
	 * as much as the socket manager allows its connections' own buffers by default, which leaves
	 * half of the heap to the stored values.
	 * @return the default in bytes
	 */
	public static long defaultMaxBufferedRequestBytes() {
		return Runtime.getRuntime().maxMemory() / 4;
	}

	private static void check(String name, int value, int min) {
		if (value < min || value > MAX_LIMIT) {
			throw new IllegalArgumentException(
					"'" + name + "' must be between " + min + " and " + MAX_LIMIT + ", was " + value);
		}
	}

}
