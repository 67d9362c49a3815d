package io.github.glidesocket.core;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.jspecify.annotations.Nullable;

/**
 * User and group names resolved to the ids the kernel reports for a peer and gives a file.
 * <p>
 * A number is taken as the id itself, without a lookup, so ids that no account database names
 * (common in containers) can be used. A name is looked up through the system's name service
 * with {@code getent passwd NAME} or {@code getent group NAME}: that is the C library's
 * {@code getpwnam}/{@code getgrnam}, which consults every source {@code /etc/nsswitch.conf}
 * lists (files, LDAP, SSSD, systemd's user database). Java cannot call those functions itself
 * on Java 17, and the JDK's {@code UserPrincipalLookupService} resolves names through them but
 * does not reveal the ids. Where {@code getent} is not installed (minimal container images),
 * {@code /etc/passwd} and {@code /etc/group} are read: in such images they are the only source
 * of names.
 * <p>
 * {@code getent} is run by its absolute path ({@code /usr/bin/getent}, else {@code /bin/getent}),
 * never found on the {@code PATH}, with the name after {@code --}; a name that starts with
 * {@code -} is refused anyway, so that no name is ever read as an option. A lookup that takes
 * longer than 10 seconds is ended and fails, as does one that prints nothing.
 */
public final class UnixAccounts {

	private static final Duration LOOKUP_TIMEOUT = Duration.ofSeconds(10);

	private static final List<Path> GETENT = List.of(Path.of("/usr/bin/getent"), Path.of("/bin/getent"));

	private static final Path PASSWD = Path.of("/etc/passwd");

	private static final Path GROUP = Path.of("/etc/group");

	private UnixAccounts() {
	}

	/**
	 * The user id of a user name, or of a number taken as the id itself.
	 * @param nameOrId the user name or the uid
	 * @return the uid
	 * @throws IllegalArgumentException if no user has that name
	 */
	public static long userId(String nameOrId) {
		return resolve("user", "passwd", PASSWD, nameOrId);
	}

	/**
	 * The group id of a group name, or of a number taken as the id itself.
	 * @param nameOrId the group name or the gid
	 * @return the gid
	 * @throws IllegalArgumentException if no group has that name
	 */
	public static long groupId(String nameOrId) {
		return resolve("group", "group", GROUP, nameOrId);
	}

	/**
	 * Whether this process belongs to the group: its effective group or one of its
	 * supplementary groups, the groups whose files it may give a socket file ({@code chown(2)}).
	 * @param gid the group id
	 * @return whether the process is in the group; {@code true} where the process's groups cannot
	 * be read (not Linux), leaving the decision to the kernel
	 */
	public static boolean processIsInGroup(long gid) {
		return ProcessIdentity.groups().map((groups) -> groups.contains(gid)).orElse(true);
	}

	/**
	 * This process's effective group and supplementary groups, as text for messages.
	 * @return the groups, such as {@code 1000, 27, 100}, or {@code unknown}
	 */
	public static String processGroups() {
		return ProcessIdentity.groups().map(Object::toString).orElse("unknown");
	}

	private static long resolve(String kind, String database, Path file, String nameOrId) {
		Objects.requireNonNull(nameOrId, () -> "'" + kind + "' must not be null");
		String name = nameOrId.strip();
		if (name.isEmpty()) {
			throw new IllegalArgumentException("'" + kind + "' must not be empty");
		}
		if (name.chars().allMatch((c) -> c >= '0' && c <= '9')) {
			try {
				return Long.parseLong(name);
			}
			catch (NumberFormatException ex) {
				throw new IllegalArgumentException("'" + kind + "' id is too large: " + name, ex);
			}
		}
		if (name.indexOf(':') >= 0 || name.chars().anyMatch(Character::isWhitespace)) {
			throw new IllegalArgumentException("'" + kind + "' is not a valid " + kind + " name: '" + name + "'");
		}
		if (name.startsWith("-")) {
			throw new IllegalArgumentException("'" + kind + "' must not start with '-', got '" + name + "'");
		}
		OptionalLong id = lookUp(database, file, name);
		if (id.isEmpty()) {
			throw new IllegalArgumentException(
					"'" + kind + "' must name a " + kind + " known to this system, got '" + name + "'");
		}
		return id.getAsLong();
	}

	private static OptionalLong lookUp(String database, Path file, String name) {
		Path getent = GETENT.stream().filter(Files::isExecutable).findFirst().orElse(null);
		String entry = (getent != null) ? getent(getent, LOOKUP_TIMEOUT, database, name) : fromFile(file, name);
		return (entry != null) ? idOf(entry, name) : OptionalLong.empty();
	}

	/**
	 * The entry {@code getent} prints for the name, or {@code null} if there is none. Its output
	 * is read on a thread of its own, so that the timeout holds even while it prints nothing and
	 * keeps its output open.
	 * @param getent the executable
	 * @param timeout how long the lookup may take; then it is ended and fails
	 * @throws IllegalStateException if the lookup fails, prints nothing or takes too long
	 */
	static @Nullable String getent(Path getent, Duration timeout, String database, String name) {
		String lookup = "Looking up '" + name + "' with '" + getent + " " + database + "'";
		Process process;
		try {
			process = new ProcessBuilder(getent.toString(), database, "--", name)
				.redirectError(ProcessBuilder.Redirect.DISCARD)
				.start();
		}
		catch (IOException ex) {
			throw new IllegalStateException(lookup + " failed: " + ex.getMessage(), ex);
		}
		long deadline = System.nanoTime() + timeout.toNanos();
		try {
			process.getOutputStream().close();
			CompletableFuture<byte[]> output = readAll(process.getInputStream());
			if (!process.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
				throw new IllegalStateException(lookup + " took longer than " + timeout.toMillis() + " ms");
			}
			byte[] printed = output.get(Math.max(deadline - System.nanoTime(), 0), TimeUnit.NANOSECONDS);
			// Exit code 2: no such entry; anything else but 0 is a failure of the lookup itself.
			int exit = process.exitValue();
			if (exit == 2) {
				return null;
			}
			if (exit != 0) {
				throw new IllegalStateException(lookup + " failed with exit code " + exit);
			}
			String entry = new String(printed, StandardCharsets.UTF_8).lines().findFirst().orElse("");
			if (entry.isBlank()) {
				throw new IllegalStateException(lookup + " printed nothing, though it found the name");
			}
			return entry;
		}
		catch (IOException | ExecutionException ex) {
			throw new IllegalStateException(lookup + " failed", ex);
		}
		catch (TimeoutException ex) {
			throw new IllegalStateException(lookup + " took longer than " + timeout.toMillis() + " ms", ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while looking up '" + name + "'", ex);
		}
		finally {
			process.destroyForcibly();
		}
	}

	private static CompletableFuture<byte[]> readAll(InputStream input) {
		CompletableFuture<byte[]> output = new CompletableFuture<>();
		Thread reader = new Thread(() -> {
			try (input) {
				output.complete(input.readAllBytes());
			}
			catch (IOException | RuntimeException ex) {
				output.completeExceptionally(ex);
			}
		}, "glide-socket-getent");
		reader.setDaemon(true);
		reader.start();
		return output;
	}

	private static @Nullable String fromFile(Path file, String name) {
		try {
			List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
			String prefix = name + ":";
			return lines.stream().filter((line) -> line.startsWith(prefix)).findFirst().orElse(null);
		}
		catch (NoSuchFileException ex) {
			return null;
		}
		catch (IOException ex) {
			throw new IllegalStateException("Cannot read '" + file + "' to look up '" + name + "'", ex);
		}
	}

	/**
	 * The id of a {@code passwd} or {@code group} entry: its third field.
	 */
	private static OptionalLong idOf(String entry, String name) {
		String[] fields = entry.split(":", -1);
		if (fields.length < 3 || !fields[0].equals(name)) {
			return OptionalLong.empty();
		}
		try {
			return OptionalLong.of(Long.parseLong(fields[2]));
		}
		catch (NumberFormatException ex) {
			return OptionalLong.empty();
		}
	}

}
