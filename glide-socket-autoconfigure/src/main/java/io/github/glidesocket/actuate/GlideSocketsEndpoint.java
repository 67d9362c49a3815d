package io.github.glidesocket.actuate;

import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import io.github.glidesocket.core.SocketManager;
import io.github.glidesocket.core.SocketOptions;
import io.github.glidesocket.core.SocketSnapshot;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.OperationResponseBody;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;

/**
 * {@link Endpoint @Endpoint} listing the sockets of a {@link SocketManager}: every socket in its
 * registry, and every configured socket that is not bound at the moment (state
 * {@value #UNBOUND}). A socket is selected by its configured name; sockets at paths that are
 * not configured are listed with the name {@value #OTHER} and cannot be selected.
 */
@Endpoint(id = "glidesockets")
public class GlideSocketsEndpoint {

	/** The state of a configured socket that is not bound. */
	public static final String UNBOUND = "UNBOUND";

	/** The name of sockets at paths that are not configured. */
	public static final String OTHER = "other";

	private final SocketManager manager;

	private final Map<String, String> socketPaths;

	/**
	 * Create a new endpoint.
	 * @param manager the manager
	 * @param socketPaths the absolute path of each configured socket by name
	 */
	public GlideSocketsEndpoint(SocketManager manager, Map<String, String> socketPaths) {
		this.manager = Objects.requireNonNull(manager, "'manager' must not be null");
		this.socketPaths = new LinkedHashMap<>(Objects.requireNonNull(socketPaths, "'socketPaths' must not be null"));
	}

	/**
	 * Describe every socket.
	 * @return the sockets, configured ones first
	 */
	@ReadOperation
	public SocketsDescriptor sockets() {
		Map<String, SocketSnapshot> byPath = new LinkedHashMap<>();
		for (SocketSnapshot snapshot : this.manager.snapshots()) {
			byPath.put(snapshot.path(), snapshot);
		}
		List<SocketDescriptor> sockets = new ArrayList<>();
		this.socketPaths.forEach((name, path) -> sockets.add(describe(name, path, byPath.remove(path))));
		byPath.values().forEach((snapshot) -> sockets.add(describe(OTHER, snapshot.path(), snapshot)));
		return new SocketsDescriptor(sockets, this.manager.activeSocketCount(), this.manager.totalReferenceCount(),
				this.manager.activeConnectionCount(), this.manager.leakCount());
	}

	/**
	 * Describe one configured socket.
	 * @param name the socket's configured name
	 * @return the socket, or {@code null} if no socket has that name
	 */
	@ReadOperation
	public @Nullable SocketDescriptor socket(@Selector String name) {
		String path = this.socketPaths.get(name);
		if (path == null) {
			return null;
		}
		return describe(name, path, this.manager.snapshot(path).orElse(null));
	}

	private SocketDescriptor describe(String name, String path, @Nullable SocketSnapshot snapshot) {
		if (snapshot != null) {
			return new SocketDescriptor(name, snapshot.path(), snapshot.state().name(), snapshot.generation(),
					snapshot.references(), snapshot.connections(), snapshot.acceptedConnections(),
					snapshot.rejectedConnections(), snapshot.acceptFailures(), snapshot.bytesReceived(),
					snapshot.bytesSent(), snapshot.boundAt(), snapshot.file().name(), snapshot.permissions(),
					snapshot.peerPolicy());
		}
		SocketOptions options = this.manager.optionsFor(path);
		return new SocketDescriptor(name, path, UNBOUND, 0, 0, 0, 0, 0, 0, 0, 0, null, null,
				PosixFilePermissions.toString(options.permissions()), String.valueOf(options.peerPolicy()));
	}

	/**
	 * Every socket, and the manager's totals.
	 */
	public static final class SocketsDescriptor implements OperationResponseBody {

		private final List<SocketDescriptor> sockets;

		private final int activeSockets;

		private final int references;

		private final int connections;

		private final long leaks;

		SocketsDescriptor(List<SocketDescriptor> sockets, int activeSockets, int references, int connections,
				long leaks) {
			this.sockets = List.copyOf(sockets);
			this.activeSockets = activeSockets;
			this.references = references;
			this.connections = connections;
			this.leaks = leaks;
		}

		public List<SocketDescriptor> getSockets() {
			return this.sockets;
		}

		public int getActiveSockets() {
			return this.activeSockets;
		}

		public int getReferences() {
			return this.references;
		}

		public int getConnections() {
			return this.connections;
		}

		public long getLeaks() {
			return this.leaks;
		}

	}

	/**
	 * One socket.
	 */
	public static final class SocketDescriptor implements OperationResponseBody {

		private final String name;

		private final String path;

		private final String state;

		private final long generation;

		private final int references;

		private final int connections;

		private final long accepted;

		private final long rejected;

		private final long acceptFailures;

		private final long bytesReceived;

		private final long bytesSent;

		private final @Nullable Instant boundSince;

		private final @Nullable String file;

		private final String permissions;

		private final String peerPolicy;

		SocketDescriptor(String name, String path, String state, long generation, int references, int connections,
				long accepted, long rejected, long acceptFailures, long bytesReceived, long bytesSent,
				@Nullable Instant boundSince, @Nullable String file,
				String permissions, String peerPolicy) {
			this.name = name;
			this.path = path;
			this.state = state;
			this.generation = generation;
			this.references = references;
			this.connections = connections;
			this.accepted = accepted;
			this.rejected = rejected;
			this.acceptFailures = acceptFailures;
			this.bytesReceived = bytesReceived;
			this.bytesSent = bytesSent;
			this.boundSince = boundSince;
			this.file = file;
			this.permissions = permissions;
			this.peerPolicy = peerPolicy;
		}

		public String getName() {
			return this.name;
		}

		public String getPath() {
			return this.path;
		}

		/**
		 * Where the socket is in its life: a {@link SocketSnapshot.State} name, or
		 * {@value GlideSocketsEndpoint#UNBOUND}.
		 * @return the state
		 */
		public String getState() {
			return this.state;
		}

		public long getGeneration() {
			return this.generation;
		}

		public int getReferences() {
			return this.references;
		}

		public int getConnections() {
			return this.connections;
		}

		public long getAccepted() {
			return this.accepted;
		}

		public long getRejected() {
			return this.rejected;
		}

		/**
		 * Attempts to accept a connection that failed, such as when the process had no file
		 * descriptor left.
		 * @return the failures since the socket was bound
		 */
		public long getAcceptFailures() {
			return this.acceptFailures;
		}

		/**
		 * Bytes read from the socket's connections, counted per read.
		 * @return the bytes since the socket was bound
		 */
		public long getBytesReceived() {
			return this.bytesReceived;
		}

		/**
		 * Bytes written to the socket's connections, counted per write.
		 * @return the bytes since the socket was bound
		 */
		public long getBytesSent() {
			return this.bytesSent;
		}

		public @Nullable Instant getBoundSince() {
			return this.boundSince;
		}

		public @Nullable String getFile() {
			return this.file;
		}

		public String getPermissions() {
			return this.permissions;
		}

		public String getPeerPolicy() {
			return this.peerPolicy;
		}

	}

}
