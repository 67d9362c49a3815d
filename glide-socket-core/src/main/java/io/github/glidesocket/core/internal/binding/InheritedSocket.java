package io.github.glidesocket.core.internal.binding;

import java.io.IOException;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

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
 * The address says only where the socket was bound: whoever can write the directory may have
 * put another socket at that path since. So a connection to the path must arrive on the
 * inherited socket; otherwise the file is reported as another's, as a file that replaced a
 * socket's is.
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
			SocketFileJudge.FileIdentity file = SocketFileJudge.FileIdentity.read(Path.of(path));
			if (file == null) {
				logger.log(System.Logger.Level.WARNING, "The socket inherited on standard input is bound at '" + path
						+ "', but no file is there; it is not used, and the socket is bound anew");
				claimed = true;
				return null;
			}
			claimed = true;
			Check check = check(server, Path.of(path), file);
			if (check.problem() == null) {
				logger.log(System.Logger.Level.INFO, "Socket '" + path
						+ "' is the listening socket this process inherited on standard input (socket activation); "
						+ "its file is left to whoever created it");
				return new UnixSocketBinder.BoundSocket(server, file.key(), true, check.queued(), null);
			}
			// Served all the same: clients may still be queued on it. The file is another's, and the
			// file checks report it as such (it never has this key).
			logger.log(System.Logger.Level.WARNING, "The file at '" + path + "' is not the listening socket this"
					+ " process inherited on standard input (socket activation): " + check.problem() + ". The"
					+ " inherited socket is served, but clients that connect to the path reach that other file");
			return new UnixSocketBinder.BoundSocket(server, new Object(), true, check.queued(), null);
		}
	}

	/**
	 * Check that the file at the path is the inherited socket: a connection to the path, from a
	 * name only this process can bind, must arrive on it. The connections queued before it are
	 * accepted on the way, and served first; none is lost.
	 * @return the problem ({@code null} if the file is the inherited socket) and the connections
	 * accepted
	 */
	private static Check check(ServerSocketChannel server, Path path, SocketFileJudge.FileIdentity file) {
		List<SocketChannel> queued = new ArrayList<>();
		if (!file.isSocket()) {
			return new Check("a " + file.describeType() + " is at the path", queued);
		}
		Path directory;
		try {
			directory = Files.createTempDirectory("glide-socket-",
					PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
		}
		catch (IOException | RuntimeException ex) {
			logger.log(System.Logger.Level.WARNING, "Cannot check that the file at '" + path
					+ "' is the socket inherited on standard input: " + ex);
			return new Check(null, queued);
		}
		try {
			server.configureBlocking(false);
			try {
				return new Check(arrives(server, path, directory, queued), queued);
			}
			finally {
				server.configureBlocking(true);
			}
		}
		catch (IOException ex) {
			logger.log(System.Logger.Level.WARNING, "Cannot check that the file at '" + path
					+ "' is the socket inherited on standard input: " + ex);
			return new Check(null, queued);
		}
		finally {
			removeQuietly(directory);
		}
	}

	/**
	 * Connect to the path from a name in the private directory and accept on the inherited
	 * socket until that connection arrives, or the queue is empty.
	 * @return the problem, or {@code null} if the connection arrived
	 */
	private static @Nullable String arrives(ServerSocketChannel server, Path path, Path directory,
			List<SocketChannel> queued) throws IOException {
		long deadline = System.nanoTime() + SocketFileJudge.BUSY_DEADLINE.toNanos();
		for (int attempt = 0;; attempt++) {
			Path local = directory.resolve(Integer.toString(attempt));
			try (SocketChannel probe = SocketChannel.open(StandardProtocolFamily.UNIX)) {
				probe.bind(UnixDomainSocketAddress.of(local));
				probe.configureBlocking(false);
				boolean connected;
				try {
					connected = probe.connect(UnixDomainSocketAddress.of(path));
				}
				catch (IOException ex) {
					if (!ServerProbe.isBacklogFull(ex)) {
						return "a connection to it failed (" + ex.getMessage() + ")";
					}
					connected = false;
				}
				// Taken off the queue either way: the probe's connection, or room for it (the
				// backlog may be full of clients queued while no process served the socket).
				for (SocketChannel accepted; (accepted = server.accept()) != null;) {
					if (accepted.getRemoteAddress() instanceof UnixDomainSocketAddress from
							&& from.getPath().equals(local)) {
						accepted.close();
						return null;
					}
					queued.add(accepted);
				}
				if (connected) {
					return "a connection to it did not arrive on the inherited socket";
				}
			}
			finally {
				Files.deleteIfExists(local);
			}
			if (System.nanoTime() - deadline > 0) {
				return "its server's backlog stayed full, and the inherited socket's queue is empty";
			}
			LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
		}
	}

	private static void removeQuietly(Path directory) {
		try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory)) {
			for (Path entry : entries) {
				Files.deleteIfExists(entry);
			}
			Files.deleteIfExists(directory);
		}
		catch (IOException ex) {
			// An empty private directory left in the temporary directory: harmless.
		}
	}

	/**
	 * The outcome of {@link #check}.
	 */
	private record Check(@Nullable String problem, List<SocketChannel> queued) {
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
