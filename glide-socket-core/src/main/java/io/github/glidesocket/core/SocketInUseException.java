package io.github.glidesocket.core;

/**
 * The path holds a socket that another live process (or another manager in this process) is
 * serving: it accepted a probe connection. Such a socket is never taken over, unless the socket
 * being bound allows {@linkplain SocketOptions#takeover() takeover} and the process that serves
 * it passes the socket's server policy; then this is thrown only for a server the policy does
 * not allow, or whose credentials cannot be read.
 */
public class SocketInUseException extends GlideSocketException {

	public SocketInUseException(String path) {
		this(path, "Socket '" + path + "' is in use: another process is accepting connections on it");
	}

	public SocketInUseException(String path, String message) {
		super(path, message, null);
	}

}
