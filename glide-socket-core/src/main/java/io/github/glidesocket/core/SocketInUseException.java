package io.github.glidesocket.core;

/**
 * The path holds a socket that another live process (or another manager in this process) is
 * serving: it accepted a probe connection. Such a socket is never taken over.
 */
public class SocketInUseException extends GlideSocketException {

	public SocketInUseException(String path) {
		this(path, "Socket '" + path + "' is in use: another process is accepting connections on it");
	}

	public SocketInUseException(String path, String message) {
		super(path, message, null);
	}

}
