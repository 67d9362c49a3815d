package io.github.glidesocket.core.internal.binding;

import java.io.IOException;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;

import io.github.glidesocket.core.SocketInUseException;
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
 * <p>
 * What cannot be used is reported, never dropped silently, since its clients would wait for an
 * answer: a connected socket ({@code Accept=yes}), a TCP socket or any other channel is logged at
 * the first bind; a listening Unix socket at another path is kept for a socket at that path and
 * logged at the first bind of another path. A path that another process serves while standard
 * input is no usable socket fails with a message that says what standard input is.
 */
public final class InheritedSocket {

	private static final System.Logger logger = System.getLogger(SocketManager.class.getName());

	private static final Object lock = new Object();

	private static final Path STANDARD_INPUT = Path.of("/proc/self/fd/0");

	/** Whether the inherited channel was already looked at and either taken or found unusable. */
	private static boolean claimed;

	/** Whether a bind at another path than the inherited socket's was reported. */
	private static boolean reportedOtherPath;

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
			Channel channel = inheritedChannel();
			if (channel == null) {
				claimed = true;
				return null;
			}
			String address = (channel instanceof ServerSocketChannel server && server.isOpen()) ? addressOf(server)
					: null;
			if (address == null) {
				logger.log(System.Logger.Level.WARNING, "This process inherited " + describe(channel)
						+ " on standard input; only a listening Unix socket can be served from there (socket"
						+ " activation with Accept=no), so it is not used, and clients waiting on it get no answer");
				claimed = true;
				return null;
			}
			ServerSocketChannel server = (ServerSocketChannel) channel;
			if (!path.equals(address)) {
				// Perhaps the socket of another path of this process: keep it for that one.
				if (!reportedOtherPath) {
					reportedOtherPath = true;
					logger.log(System.Logger.Level.WARNING, "This process inherited " + describe(channel)
							+ " on standard input, and socket '" + path + "' is another path, bound as usual; the"
							+ " inherited socket is kept for a socket at '" + address + "': until one is bound"
							+ " there, its clients get no answer");
				}
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

	/**
	 * The failure of a bind at a path that another process serves: when standard input is not
	 * the socket at that path, the message says what it is, for a socket that was to be
	 * inherited (socket activation) and was not.
	 * @param path the path
	 * @return the exception to throw
	 */
	static SocketInUseException inUse(String path) {
		String message = "Socket '" + path + "' is in use: another process is accepting connections on it";
		Channel channel = inheritedChannel();
		String standardInput = (channel != null) ? describe(channel) : describeStandardInput();
		return new SocketInUseException(path, message + ". If this process was to inherit it (socket activation),"
				+ " it did not: standard input is " + standardInput + ", not a listening socket at that path."
				+ " systemd passes it with StandardInput=socket, systemd-socket-activate with --inetd; a process"
				+ " started in the background by a shell gets /dev/null instead");
	}

	private static @Nullable Channel inheritedChannel() {
		try {
			Channel channel = System.inheritedChannel();
			return (channel != null && channel.isOpen()) ? channel : null;
		}
		catch (IOException | RuntimeException ex) {
			logger.log(System.Logger.Level.DEBUG, () -> "No inherited channel: " + ex);
			return null;
		}
	}

	/**
	 * What an inherited channel is, for messages.
	 */
	static String describe(Channel channel) {
		try {
			if (channel instanceof ServerSocketChannel server) {
				SocketAddress address = server.getLocalAddress();
				if (address instanceof UnixDomainSocketAddress unix) {
					String path = unix.getPath().toString();
					return path.isEmpty() ? "a listening Unix socket that has no path"
							: "a listening Unix socket bound at '" + addressOf(server) + "'";
				}
				return "a listening socket at " + address + " (not a Unix socket)";
			}
			if (channel instanceof SocketChannel connected) {
				return "a connected socket (its peer " + connected.getRemoteAddress()
						+ "; systemd passes one with Accept=yes), not a listening one";
			}
		}
		catch (IOException ex) {
			// Described by its type below.
		}
		return "a channel that is not a listening socket (" + channel.getClass().getSimpleName() + ")";
	}

	/**
	 * What standard input is when it is not a socket: the file it is open on, read from
	 * {@code /proc/self/fd/0} where there is one.
	 */
	private static String describeStandardInput() {
		try {
			return "not a socket but " + Files.readSymbolicLink(STANDARD_INPUT);
		}
		catch (IOException | UnsupportedOperationException ex) {
			return "not a socket";
		}
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
