package io.github.glidesocket.autoconfigure;

import java.nio.file.Path;
import java.util.Map;

import io.github.glidesocket.core.GlideSocketException;
import io.github.glidesocket.core.SocketInUseException;
import io.github.glidesocket.core.SocketLimitException;
import io.github.glidesocket.core.SocketPathException;
import io.github.glidesocket.core.SocketPool;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.core.env.Environment;

/**
 * Turns a {@link GlideSocketException} that stopped the application into a description of
 * what happened and an action that names the property to change. The property is found by
 * matching the failed path against {@code glide.socket.path} and each
 * {@code glide.socket.sockets.<name>.path}, or the paths of its pool members.
 */
class GlideSocketFailureAnalyzer extends AbstractFailureAnalyzer<GlideSocketException> {

	private final @Nullable Environment environment;

	GlideSocketFailureAnalyzer(@Nullable Environment environment) {
		this.environment = environment;
	}

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, GlideSocketException cause) {
		String path = cause.getPath();
		String prefix = propertyPrefix(path);
		String pathProperty = prefix + ".path";
		String description = "glide-socket could not create the socket '" + path + "': " + cause.getMessage();
		if (cause instanceof SocketInUseException) {
			// The cause says why: in use without takeover, or by a server the policy does not trust.
			return new FailureAnalysis("glide-socket could not create the socket '" + path
					+ "': another live process is accepting connections on it. " + cause.getMessage() + ".",
					"Identify and stop the process that is listening on '" + path + "' (for example with 'ss -xlp' or "
							+ "'lsof -U'), or configure this application to use another path with '" + pathProperty
							+ "'. To take the socket over from a process this application trusts, set '" + prefix
							+ ".takeover' and allow that process's user with '" + prefix + ".servers.users'.",
					cause);
		}
		if (cause instanceof SocketLimitException limit) {
			boolean references = limit.getKind() == SocketLimitException.Kind.REFERENCES;
			String property = references ? prefix + ".max-references" : SocketSettings.PREFIX + ".max-sockets";
			return new FailureAnalysis(description, "Raise '" + property + "' (now " + limit.getLimit()
					+ "; -1 means no limit), or close references and sockets the application no longer needs.", cause);
		}
		if (cause instanceof SocketPathException pathException) {
			return new FailureAnalysis(description, action(pathException, prefix, pathProperty), cause);
		}
		return new FailureAnalysis(description,
				"Check the socket's directory and permissions, or set '" + pathProperty + "' to another path.", cause);
	}

	private static String action(SocketPathException cause, String prefix, String pathProperty) {
		String directory = parent(cause.getPath());
		return switch (cause.getReason()) {
			case EMPTY, CONTAINS_NUL -> "Set '" + pathProperty + "' to a valid file path.";
			case UNENCODABLE -> "Start the application with a UTF-8 locale, for example with LC_ALL=C.UTF-8 in its "
					+ "environment, or set '" + pathProperty + "' to a path of ASCII characters.";
			case TOO_LONG -> "Set '" + pathProperty + "' to a shorter path, for example in /run or /tmp: a socket "
					+ "path, with the short name glide-socket binds beside it, may be at most 106 bytes.";
			case PARENT_MISSING -> "Create the directory '" + directory + "', or set '" + pathProperty
					+ "' to a path in an existing directory.";
			case PARENT_NOT_WRITABLE -> "Give the user this application runs as write access to '" + directory
					+ "', or set '" + pathProperty + "' to a path in a directory it can write to.";
			case NOT_A_SOCKET -> "Move away what is at '" + cause.getPath()
					+ "' (glide-socket never deletes a file that is not a socket), or set '" + pathProperty
					+ "' to another path.";
			case STALE_SOCKET -> "Remove the stale socket file '" + cause.getPath() + "', or set '" + prefix
					+ ".stale-socket-policy' to 'reclaim' so that glide-socket replaces it.";
			case UNSAFE_DIRECTORY -> "Use a directory that only the user this application runs as and root can change: "
					+ "make the directory named above writable only by its owner ('chmod go-w'), or give a shared "
					+ "directory the sticky bit ('chmod +t'), or set '" + pathProperty + "' to a path in such a "
					+ "directory. To bind there anyway, set '" + prefix + ".directory-check' to 'warn'.";
			case BIND_FAILED -> "Check the directory '" + directory + "' and its permissions, or set '" + pathProperty
					+ "' to another path.";
		};
	}

	private static String parent(String path) {
		try {
			Path parent = Path.of(path).toAbsolutePath().getParent();
			return (parent != null) ? parent.toString() : path;
		}
		catch (RuntimeException ex) {
			return path;
		}
	}

	/**
	 * Whether a path is the configured path of a socket or one of its pool members.
	 */
	private static boolean isSocketFile(String configured, int poolSize, String path) {
		if (poolSize <= 1) {
			return configured.equals(path);
		}
		for (int index = 0; index < poolSize; index++) {
			if (SocketPool.memberPath(configured, index).equals(path)) {
				return true;
			}
		}
		return false;
	}

	/**
	 * The prefix of the configured socket at the path: {@code glide.socket} for the default
	 * socket or an unknown path, {@code glide.socket.sockets.<name>} for a named socket.
	 */
	private String propertyPrefix(String path) {
		if (this.environment == null) {
			return SocketSettings.PREFIX;
		}
		try {
			String normalized = SocketSettings.normalize(path);
			Map<String, GlideSocketProperties.Socket> sockets = Binder.get(this.environment)
				.bind(SocketSettings.PREFIX, GlideSocketProperties.class)
				.map(GlideSocketProperties::getSockets)
				.orElse(Map.of());
			for (Map.Entry<String, GlideSocketProperties.Socket> socket : sockets.entrySet()) {
				String socketPath = socket.getValue().getPath();
				if (socketPath != null && isSocketFile(SocketSettings.normalize(socketPath),
						socket.getValue().getPoolSize(), normalized)) {
					return SocketSettings.PREFIX + ".sockets." + socket.getKey();
				}
			}
		}
		catch (RuntimeException ex) {
			// The properties themselves are invalid; name the default socket's.
		}
		return SocketSettings.PREFIX;
	}

}
