package io.github.glidesocket.actuate;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import io.github.glidesocket.core.ReferenceHolder;
import io.github.glidesocket.core.SocketManager;
import io.github.glidesocket.core.SocketOptions;
import io.github.glidesocket.core.SocketSnapshot;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.OperationResponseBody;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.Selector.Match;

/**
 * {@link Endpoint @Endpoint} listing the sockets of a {@link SocketManager}: every socket in its
 * registry, and every configured socket that is not bound at the moment (state
 * {@value #UNBOUND}). A socket is selected by its configured name; sockets at paths that are
 * not configured are listed with the name {@value #OTHER} and are selected by
 * {@value #OTHER} followed by their path ({@code /actuator/glidesockets/other/run/app/x.sock}).
 * <p>
 * Each socket lists its holders: the live references the manager's leak detection tracks, with
 * when each was acquired and, when leak detection is paranoid, where; a reference injected into
 * a bean also names the bean and the injection point. With leak detection disabled only injected
 * references are listed, and {@code untrackedReferences} counts the others.
 */
@Endpoint(id = "glidesockets")
public class GlideSocketsEndpoint {

	/** The state of a configured socket that is not bound. */
	public static final String UNBOUND = "UNBOUND";

	/** The name of sockets at paths that are not configured. */
	public static final String OTHER = "other";

	private final SocketManager manager;

	private final Map<String, String> socketPaths;

	private final Injections injections;

	/**
	 * Create a new endpoint that knows no injected references.
	 * @param manager the manager
	 * @param socketPaths the absolute path of each configured socket by name
	 */
	public GlideSocketsEndpoint(SocketManager manager, Map<String, String> socketPaths) {
		this(manager, socketPaths, (path) -> List.of());
	}

	/**
	 * Create a new endpoint.
	 * @param manager the manager
	 * @param socketPaths the absolute path of each configured socket by name
	 * @param injections the references injected into beans, by socket path
	 */
	public GlideSocketsEndpoint(SocketManager manager, Map<String, String> socketPaths, Injections injections) {
		this.manager = Objects.requireNonNull(manager, "'manager' must not be null");
		this.socketPaths = new LinkedHashMap<>(Objects.requireNonNull(socketPaths, "'socketPaths' must not be null"));
		this.injections = Objects.requireNonNull(injections, "'injections' must not be null");
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

	/**
	 * Describe a socket by its path: one at a path that is not configured, or a configured one.
	 * @param name {@value #OTHER}
	 * @param path the segments of the socket's absolute path
	 * @return the socket, or {@code null} if the name is not {@value #OTHER} or no socket is at
	 * the path
	 */
	@ReadOperation
	public @Nullable SocketDescriptor socketAtPath(@Selector String name,
			@Selector(match = Match.ALL_REMAINING) String[] path) {
		if (!OTHER.equals(name) || path.length == 0) {
			return null;
		}
		String absolute = "/" + String.join("/", path);
		for (Map.Entry<String, String> configured : this.socketPaths.entrySet()) {
			if (configured.getValue().equals(absolute)) {
				return socket(configured.getKey());
			}
		}
		SocketSnapshot snapshot = this.manager.snapshot(absolute).orElse(null);
		return (snapshot != null) ? describe(OTHER, snapshot.path(), snapshot) : null;
	}

	private SocketDescriptor describe(String name, String path, @Nullable SocketSnapshot snapshot) {
		if (snapshot != null) {
			List<HolderDescriptor> holders = holders(snapshot.path());
			return new SocketDescriptor(name, snapshot.path(), snapshot.state().name(), snapshot.generation(),
					snapshot.references(), snapshot.connections(), snapshot.acceptedConnections(),
					snapshot.rejectedConnections(), snapshot.acceptFailures(), snapshot.bytesReceived(),
					snapshot.bytesSent(), snapshot.boundAt(), snapshot.file().name(), snapshot.permissions(),
					fileMode(snapshot.path()), snapshot.peerPolicy(), holders,
					Math.max(0, snapshot.references() - holders.size()));
		}
		SocketOptions options = this.manager.optionsFor(path);
		return new SocketDescriptor(name, path, UNBOUND, 0, 0, 0, 0, 0, 0, 0, 0, null, null,
				PosixFilePermissions.toString(options.permissions()), fileMode(path), String.valueOf(options.peerPolicy()),
				List.of(), 0);
	}

	/**
	 * The mode of the file at the path now, not following a link: the configured permissions
	 * are not it where the socket was inherited (its creator chose the mode) or the file was
	 * replaced.
	 */
	private static @Nullable String fileMode(String path) {
		try {
			return PosixFilePermissions.toString(Files.getPosixFilePermissions(Path.of(path), LinkOption.NOFOLLOW_LINKS));
		}
		catch (IOException | RuntimeException ex) {
			return null;
		}
	}

	/**
	 * The tracked references of the socket, oldest first, each injected one named by its bean
	 * and injection point; then the injected references that are not tracked (leak detection
	 * disabled).
	 */
	private List<HolderDescriptor> holders(String path) {
		Map<Integer, Injection> injected = new LinkedHashMap<>();
		for (Injection injection : this.injections.injectionsInto(path)) {
			injected.put(injection.identity(), injection);
		}
		List<HolderDescriptor> holders = new ArrayList<>();
		for (ReferenceHolder holder : this.manager.referenceHolders(path)) {
			Injection injection = injected.remove(holder.identity());
			holders.add(new HolderDescriptor((injection != null) ? injection.bean() : null,
					(injection != null) ? injection.injectionPoint() : null, holder.acquiredAt(),
					holder.acquisitionSite()));
		}
		injected.values()
			.forEach((injection) -> holders.add(new HolderDescriptor(injection.bean(), injection.injectionPoint(),
					injection.injectedAt(), List.of())));
		return holders;
	}

	/**
	 * The references injected into beans, by socket path: the endpoint names their beans and
	 * injection points among the socket's holders.
	 */
	@FunctionalInterface
	public interface Injections {

		/**
		 * The open references injected into beans on the socket at the path.
		 * @param path the socket path
		 * @return the injections
		 */
		List<Injection> injectionsInto(String path);

	}

	/**
	 * A reference injected into a bean.
	 *
	 * @param identity the reference's identity among the holders of its socket, see
	 * {@link SocketManager#holderIdentity(io.github.glidesocket.core.SocketReference)}
	 * @param bean the name of the bean that keeps it, or {@code null} if unknown
	 * @param injectionPoint where it was injected
	 * @param injectedAt when it was injected
	 */
	public record Injection(int identity, @Nullable String bean, String injectionPoint, Instant injectedAt) {
	}

	/**
	 * One holder of a socket: a live reference.
	 */
	public static final class HolderDescriptor {

		private final @Nullable String bean;

		private final @Nullable String injectionPoint;

		private final Instant acquiredAt;

		private final List<String> acquisitionSite;

		HolderDescriptor(@Nullable String bean, @Nullable String injectionPoint, Instant acquiredAt,
				List<String> acquisitionSite) {
			this.bean = bean;
			this.injectionPoint = injectionPoint;
			this.acquiredAt = acquiredAt;
			this.acquisitionSite = List.copyOf(acquisitionSite);
		}

		/**
		 * The bean that keeps the reference, for an injected reference.
		 * @return the bean name, or {@code null}
		 */
		public @Nullable String getBean() {
			return this.bean;
		}

		/**
		 * Where the reference was injected, for an injected reference.
		 * @return the injection point, or {@code null}
		 */
		public @Nullable String getInjectionPoint() {
			return this.injectionPoint;
		}

		public Instant getAcquiredAt() {
			return this.acquiredAt;
		}

		/**
		 * Where the reference was acquired, the caller's frame first; empty unless leak
		 * detection is paranoid.
		 * @return the stack frames
		 */
		public List<String> getAcquisitionSite() {
			return this.acquisitionSite;
		}

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

		private final @Nullable String fileMode;

		private final String peerPolicy;

		private final List<HolderDescriptor> holders;

		private final int untrackedReferences;

		SocketDescriptor(String name, String path, String state, long generation, int references, int connections,
				long accepted, long rejected, long acceptFailures, long bytesReceived, long bytesSent,
				@Nullable Instant boundSince, @Nullable String file,
				String permissions, @Nullable String fileMode, String peerPolicy, List<HolderDescriptor> holders,
				int untrackedReferences) {
			this.holders = List.copyOf(holders);
			this.untrackedReferences = untrackedReferences;
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
			this.fileMode = fileMode;
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

		/**
		 * The permissions the socket is configured with, in {@code ls} form.
		 * @return the configured permissions
		 * @see #getFileMode()
		 */
		public String getPermissions() {
			return this.permissions;
		}

		/**
		 * The mode of the file at the socket's path when described, in {@code ls} form: the
		 * configured permissions for a file this socket created, the creator's for an inherited
		 * socket (socket activation), another file's if it was replaced.
		 * @return the mode, or {@code null} if no file is at the path
		 */
		public @Nullable String getFileMode() {
			return this.fileMode;
		}

		public String getPeerPolicy() {
			return this.peerPolicy;
		}

		/**
		 * The live references that hold the socket open, oldest first.
		 * @return the holders
		 */
		public List<HolderDescriptor> getHolders() {
			return this.holders;
		}

		/**
		 * References that are not listed among the holders: with leak detection disabled, all
		 * but the injected ones.
		 * @return the count
		 */
		public int getUntrackedReferences() {
			return this.untrackedReferences;
		}

	}

}
