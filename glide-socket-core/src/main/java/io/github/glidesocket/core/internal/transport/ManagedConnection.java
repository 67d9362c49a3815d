package io.github.glidesocket.core.internal.transport;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;

import io.github.glidesocket.core.PeerCredentials;
import io.github.glidesocket.core.SocketConnection;
import io.github.glidesocket.core.SocketConnectionHandler;
import io.github.glidesocket.core.SocketManager;
import io.github.glidesocket.core.internal.binding.UnixSocketBinder;

import org.newsclub.net.unix.AFUNIXSocket;
import org.newsclub.net.unix.BrokenPipeSocketException;
import org.newsclub.net.unix.ConnectionResetSocketException;
import org.newsclub.net.unix.SocketClosedException;

/**
 * One accepted connection and the task that serves it. The listener owns it; the handler sees it
 * only through {@link SocketConnection}.
 */
final class ManagedConnection extends ConnectionIdentity implements SocketConnection, ServedConnection, Runnable {

	private static final System.Logger logger = System.getLogger(SocketManager.class.getName());

	private final AFUNIXSocket socket;

	private final SocketConnectionHandler handler;

	private final UnixSocketListener listener;

	private volatile boolean closedByListener;

	ManagedConnection(long id, String path, AFUNIXSocket socket, PeerCredentials peer,
			SocketConnectionHandler handler, UnixSocketListener listener) {
		super("SocketConnection", id, path, peer);
		this.socket = socket;
		this.handler = handler;
		this.listener = listener;
	}

	@Override
	public void run() {
		try {
			this.handler.handle(this);
		}
		catch (SocketTimeoutException ex) {
			logger.log(System.Logger.Level.DEBUG, () -> "Closing idle " + describe());
		}
		catch (Throwable ex) {
			if (this.closedByListener || isPeerGone(ex)) {
				logger.log(System.Logger.Level.DEBUG, () -> "The " + describe() + " ended: " + ex);
			}
			else {
				logger.log(System.Logger.Level.WARNING,
						"Handler failed on " + describe() + " from " + peer()
								+ "; closing the connection",
						ex);
			}
		}
		finally {
			UnixSocketBinder.closeQuietly(this.socket);
			this.listener.connectionEnded(this);
		}
	}

	/**
	 * Whether the failure only says that the connection ended under the handler: the peer went
	 * away, or the socket was closed (junixsocket reports a closed socket as "Not open").
	 */
	static boolean isPeerGone(Throwable ex) {
		// junixsocket's channels report a broken pipe as an AsynchronousCloseException caused by it.
		for (Throwable current = ex; current != null; current = current.getCause()) {
			if (current instanceof SocketClosedException || current instanceof BrokenPipeSocketException
					|| current instanceof ConnectionResetSocketException) {
				return true;
			}
			String message = String.valueOf(current.getMessage());
			if (current instanceof SocketException
					&& (message.contains("Broken pipe") || message.contains("reset") || message.contains("closed"))) {
				return true;
			}
		}
		return false;
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
					() -> "Cannot half-close " + describe() + ": " + ex);
		}
	}

	@Override
	public void forceClose() {
		this.closedByListener = true;
		UnixSocketBinder.closeQuietly(this.socket);
	}

	@Override
	public InputStream inputStream() {
		try {
			return this.socket.getInputStream();
		}
		catch (IOException ex) {
			throw new IllegalStateException("The " + describe() + " is closed", ex);
		}
	}

	@Override
	public OutputStream outputStream() {
		try {
			return this.socket.getOutputStream();
		}
		catch (IOException ex) {
			throw new IllegalStateException("The " + describe() + " is closed", ex);
		}
	}

	@Override
	public Socket socket() {
		return this.socket;
	}

}
