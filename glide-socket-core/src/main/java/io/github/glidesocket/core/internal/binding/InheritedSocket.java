package io.github.glidesocket.core.internal.binding;

import java.io.IOException;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channel;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Path;

import io.github.glidesocket.core.SocketManager;

import org.jspecify.annotations.Nullable;

/**
 * A listening Unix socket that the process inherited on its standard input, as systemd passes
 * one with {@code StandardInput=socket} (socket activation, {@code Accept=no}) and
 * {@link System#inheritedChannel()} returns it. A socket whose path is that socket's address
 * serves it instead of binding: the socket outlives the process, so while the service restarts
 * the kernel queues connects, and the next process accepts them. The file belongs to whoever
 * bound it: it is never removed, and its mode is never changed.
 * <p>
 * Only standard input can be inherited so: the JDK cannot make a channel of another descriptor,
 * so the sockets systemd passes as descriptors 3 and up ({@code LISTEN_FDS}) cannot be used.
 * The channel is handed out once; a socket bound again at the path later (after the first one
 * closed) binds as usual.
 */
public final class InheritedSocket {

	private static final System.Logger logger = System.getLogger(SocketManager.class.getName());

	private static final Object lock = new Object();

	/** Whether the inherited channel was already looked at and either taken or found unusable. */
	private static boolean claimed;

	private InheritedSocket() {
	}

	/**
	 * The inherited listening socket, if its address is the path and nobody took it yet.
	 * @param path the canonical path
	 * @return the socket, adopted, or {@code null} to bind as usual
	 */
	static UnixSocketBinder.@Nullable BoundSocket claim(String path) {
		synchronized (lock) {
			if (claimed) {
				return null;
			}
			ServerSocketChannel server = inheritedServer();
			if (server == null) {
				claimed = true;
				return null;
			}
			if (!path.equals(addressOf(server))) {
				// Perhaps the socket of another path of this process: keep it for that one.
				return null;
			}
			Object fileKey = UnixSocketBinder.fileKey(Path.of(path));
			if (fileKey == null) {
				logger.log(System.Logger.Level.WARNING, "The socket inherited on standard input is bound at '" + path
						+ "', but no file is there; it is not used, and the socket is bound anew");
				claimed = true;
				return null;
			}
			claimed = true;
			logger.log(System.Logger.Level.INFO, "Socket '" + path
					+ "' is the listening socket this process inherited on standard input (socket activation); "
					+ "its file is left to whoever created it");
			return new UnixSocketBinder.BoundSocket(server, fileKey, true);
		}
	}

	private static @Nullable ServerSocketChannel inheritedServer() {
		Channel channel;
		try {
			channel = System.inheritedChannel();
		}
		catch (IOException | RuntimeException ex) {
			logger.log(System.Logger.Level.DEBUG, () -> "No inherited channel: " + ex);
			return null;
		}
		return (channel instanceof ServerSocketChannel server && server.isOpen()) ? server : null;
	}

	private static @Nullable String addressOf(ServerSocketChannel server) {
		try {
			SocketAddress address = server.getLocalAddress();
			if (address instanceof UnixDomainSocketAddress unix) {
				return unix.getPath().toAbsolutePath().normalize().toString();
			}
		}
		catch (IOException ex) {
			// Closed: not usable.
		}
		return null;
	}

}
