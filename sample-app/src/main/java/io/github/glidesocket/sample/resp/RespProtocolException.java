package io.github.glidesocket.sample.resp;

/**
 * Thrown when a request cannot be read: the peer sent bytes that are not a valid request, or
 * the server has no room left to hold the request ({@link RespLimits#maxBufferedRequestBytes()}).
 * The connection answers with the message as an error and closes, since it cannot know where
 * the next request starts.
 */
final class RespProtocolException extends Exception {

	private static final long serialVersionUID = 1L;

	/**
	 * Create an exception for bytes that are not a valid request.
	 * @param detail what was wrong, without the {@code "Protocol error: "} prefix
	 */
	RespProtocolException(String detail) {
		this("Protocol error: ", detail);
	}

	private RespProtocolException(String prefix, String detail) {
		super(prefix + detail);
	}

	/**
	 * The exception for a request the server has no room to hold: the connections of its
	 * handler already hold {@link RespLimits#maxBufferedRequestBytes()} for their requests.
	 * Worded as Redis words its refusal of a client over {@code maxclients}.
	 * @return the exception
	 */
	static RespProtocolException requestBuffersFull() {
		return new RespProtocolException("", "max buffered request bytes reached");
	}

}
