package io.github.glidesocket.sample.resp;

/**
 * The limits a connection enforces on each request it reads. A request that declares a length
 * over a limit is answered with a protocol error and its connection is closed before anything of
 * that size is allocated. Within the limits, memory for an argument grows with the bytes that
 * actually arrive, not with the length the peer declares.
 *
 * @param maxBulkLength the largest argument of a multibulk request, in bytes
 * @param maxMultibulkLength the most arguments one multibulk request may declare
 * @param maxInlineLength the longest line, in bytes and without its line ending, of an inline
 * request or of a multibulk length line ({@code *N} or {@code $N})
 */
public record RespLimits(int maxBulkLength, int maxMultibulkLength, int maxInlineLength) {

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
	 * The largest value any limit may take, so that a length plus its line ending still fits in
	 * an array.
	 */
	public static final int MAX_LIMIT = Integer.MAX_VALUE - 16;

	private static final RespLimits DEFAULTS = new RespLimits(DEFAULT_MAX_BULK_LENGTH,
			DEFAULT_MAX_MULTIBULK_LENGTH, DEFAULT_MAX_INLINE_LENGTH);

	/**
	 * Create limits.
	 * @throws IllegalArgumentException if {@code maxBulkLength} is negative, if
	 * {@code maxMultibulkLength} or {@code maxInlineLength} is not positive, or if any limit is
	 * over {@link #MAX_LIMIT}
	 */
	public RespLimits {
		check("maxBulkLength", maxBulkLength, 0);
		check("maxMultibulkLength", maxMultibulkLength, 1);
		check("maxInlineLength", maxInlineLength, 1);
	}

	/**
	 * The default limits: {@value #DEFAULT_MAX_BULK_LENGTH} bytes per argument,
	 * {@value #DEFAULT_MAX_MULTIBULK_LENGTH} arguments per request and
	 * {@value #DEFAULT_MAX_INLINE_LENGTH} bytes per inline request.
	 * @return the default limits
	 */
	public static RespLimits defaults() {
		return DEFAULTS;
	}

	private static void check(String name, int value, int min) {
		if (value < min || value > MAX_LIMIT) {
			throw new IllegalArgumentException(
					"'" + name + "' must be between " + min + " and " + MAX_LIMIT + ", was " + value);
		}
	}

}
