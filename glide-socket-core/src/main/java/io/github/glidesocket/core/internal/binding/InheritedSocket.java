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
				return new UnixSocketBinder.BoundSocket(server, file.key(), true, check.queued());
			}
			// Served all the same: clients may still be queued on it. The file is another's, and the
			// file checks report it as such (it never has this key).
			logger.log(System.Logger.Level.WARNING, "The file at '" + path + "' is not the listening socket this"
					+ " process inherited on standard input (socket activation): " + check.problem() + ". The"
					+ " inherited socket is served, but clients that connect to the path reach that other file");
			return new UnixSocketBinder.BoundSocket(server, new Object(), true, check.queued());
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
