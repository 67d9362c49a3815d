package io.github.glidesocket.autoconfigure.web;

import io.github.glidesocket.core.SocketChannelHandler;
import io.github.glidesocket.core.SocketReference;

/**
 * The managed socket that the application's web server serves HTTP on
 * ({@code glide.socket.web.*}). A server opens it when it starts, stops its accepting when its
 * graceful shutdown begins, and closes the reference when it stops, so the file exists exactly
 * while HTTP is served there.
 */
public interface WebServerSocket {

	/**
	 * The socket's path.
	 * @return the path
	 */
	String path();

	/**
	 * Bind the socket (or join it, if it is bound already) and hand each connection it admits to
	 * the given handler until the returned reference is closed.
	 * @param handler takes each admitted connection's channel
	 * @return the reference that keeps the socket open
	 */
	SocketReference open(SocketChannelHandler handler);

	/**
	 * Stop accepting, as a server's graceful shutdown begins: the file goes, the connections
	 * queued on the socket are handed over, and those open stay the server's until it closes
	 * them (or the socket's stop deadline passes). Closing the last reference instead would close
	 * the connections with the requests in flight on them.
	 */
	void stopAccepting();

}
