package io.github.glidesocket.core;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Instant;

import org.newsclub.net.unix.AFUNIXSocket;

/**
 * One accepted connection and the task that serves it. The listener owns it; the handler sees it
 * only through {@link SocketConnection}.
 */
final class ManagedConnection implements SocketConnection, ServedConnection, Runnable {

	private static final System.Logger logger = System.getLogger(SocketManager.class.getName());

	private final long id;

	private final String path;

	private final AFUNIXSocket socket;

	private final PeerCredentials peer;

	private final Instant connectedAt = Instant.now();

	private final SocketConnectionHandler handler;

	private final UnixSocketListener listener;

	private volatile boolean closedByListener;

	ManagedConnection(long id, String path, AFUNIXSocket socket, PeerCredentials peer,
			SocketConnectionHandler handler, UnixSocketListener listener) {
		this.id = id;
		this.path = path;
		this.socket = socket;
		this.peer = peer;
		this.handler = handler;
		this.listener = listener;
	}

	@Override
	public void run() {
		try {
			this.handler.handle(this);
		}
		catch (SocketTimeoutException ex) {
			logger.log(System.Logger.Level.DEBUG, () -> "Closing idle connection " + this.id + " on '" + this.path + "'");
		}
		catch (Throwable ex) {
			if (this.closedByListener || isPeerGone(ex)) {
				logger.log(System.Logger.Level.DEBUG, () -> "Connection " + this.id + " on '" + this.path + "' ended: " + ex);
			}
			else {
				logger.log(System.Logger.Level.WARNING,
						"Handler failed on connection " + this.id + " on '" + this.path + "' from " + this.peer
								+ "; closing the connection",
						ex);
			}
		}
		finally {
			UnixSocketBinder.closeQuietly(this.socket);
			this.listener.connectionEnded(this);
		}
	}

	static boolean isPeerGone(Throwable ex) {
		String message = String.valueOf(ex.getMessage());
		return ex instanceof SocketException
				&& (message.contains("Broken pipe") || message.contains("reset") || message.contains("closed"));
	}

	/**
	 * Half-close the input so a handler blocked in a read sees end-of-stream and can finish.
	 */
	@Override
	public void signalShutdown() {
		try {
			// Through the channel: on JDK 25, java.net.Socket refuses junixsocket's half-close.
			this.socket.getChannel().shutdownInput();
		}
		catch (IOException ex) {
			logger.log(System.Logger.Level.DEBUG,
					() -> "Cannot half-close connection " + this.id + " on '" + this.path + "': " + ex);
		}
	}

	@Override
	public void forceClose() {
		this.closedByListener = true;
		UnixSocketBinder.closeQuietly(this.socket);
	}

	@Override
	public long id() {
		return this.id;
	}

	@Override
	public String socketPath() {
		return this.path;
	}

	@Override
	public PeerCredentials peer() {
		return this.peer;
	}

	@Override
	public Instant connectedAt() {
		return this.connectedAt;
	}

	@Override
	public InputStream inputStream() {
		try {
			return this.socket.getInputStream();
		}
		catch (IOException ex) {
			throw new IllegalStateException("Connection " + this.id + " on '" + this.path + "' is closed", ex);
		}
	}

	@Override
	public OutputStream outputStream() {
		try {
			return this.socket.getOutputStream();
		}
		catch (IOException ex) {
			throw new IllegalStateException("Connection " + this.id + " on '" + this.path + "' is closed", ex);
		}
	}

	@Override
	public Socket socket() {
		return this.socket;
	}

	@Override
	public String toString() {
		return "SocketConnection[id=" + this.id + ", path=" + this.path + ", peer=" + this.peer + "]";
	}

}
