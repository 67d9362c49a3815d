package io.github.glidesocket.core;

/**
 * A configured limit on references per socket or sockets per manager was reached. Nothing was
 * acquired or created; the existing sockets and references are unaffected.
 */
public class SocketLimitException extends GlideSocketException {

	private final int limit;

	public SocketLimitException(String path, String message, int limit) {
		super(path, message, null);
		this.limit = limit;
	}

	/**
	 * The limit that was reached.
	 * @return the configured maximum
	 */
	public int getLimit() {
		return this.limit;
	}

}
