package io.github.glidesocket.core;

import java.io.IOException;

/**
 * Thrown when a client connection opened through a {@link SocketReference} reaches a server
 * that the socket's {@link SocketOptions#serverPolicy() server policy} does not allow: the
 * socket's file was replaced by another process's socket. The connection is closed before
 * anything is sent.
 */
public class UntrustedServerException extends IOException {

	private static final long serialVersionUID = 1L;

	private final String path;

	private final PeerCredentials server;

	public UntrustedServerException(String path, PeerCredentials server, PeerPolicy policy) {
		super("Refused to talk to the server of socket '" + path + "': it runs as " + server
				+ ", which the server policy " + policy + " does not allow; the socket's file was"
				+ " probably replaced by another process's socket");
		this.path = path;
		this.server = server;
	}

	/**
	 * The socket path.
	 * @return the path
	 */
	public String path() {
		return this.path;
	}

	/**
	 * The credentials of the process that answered.
	 * @return the credentials
	 */
	public PeerCredentials server() {
		return this.server;
	}

}
