package io.github.glidesocket.core;

import org.jspecify.annotations.Nullable;

/**
 * Base class of the exceptions a {@link SocketManager} throws about a socket path. Every message
 * names the path and the reason.
 */
public class GlideSocketException extends RuntimeException {

	private final String path;

	public GlideSocketException(String path, String message, @Nullable Throwable cause) {
		super(message, cause);
		this.path = path;
	}

	/**
	 * The socket path the failure concerns, as given by the caller.
	 * @return the path
	 */
	public String getPath() {
		return this.path;
	}

}
