package io.github.glidesocket.sample.resp;

/**
 * Thrown when a peer sends bytes that are not a valid request. The connection answers with the
 * message as an error and closes, since it cannot know where the next request starts.
 */
final class RespProtocolException extends Exception {

	private static final long serialVersionUID = 1L;

	/**
	 * Create an exception.
	 * @param detail what was wrong, without the {@code "Protocol error: "} prefix
	 */
	RespProtocolException(String detail) {
		super("Protocol error: " + detail);
	}

}
