package io.github.glidesocket.core;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The user id of this process, read once, and its groups. Linux exposes them through
 * {@code /proc/self}; elsewhere the owner of a freshly created temporary file is the effective
 * user, and the groups are unknown.
 */
final class ProcessIdentity {

	private static final long UID = readUid();

	private ProcessIdentity() {
	}

	static long uid() {
		return UID;
	}

	/**
	 * The effective group and the supplementary groups, from {@code /proc/self/status}.
	 * @return the groups, or empty where they cannot be read
	 */
	static Optional<Set<Long>> groups() {
		try {
			return groupsFromStatus(Files.readString(Path.of("/proc/self/status")));
		}
		catch (IOException | RuntimeException ex) {
			return Optional.empty();
		}
	}

	/**
	 * The effective group ({@code Gid:}, second field) and the supplementary groups
	 * ({@code Groups:}) of a {@code /proc/PID/status} text.
	 */
	static Optional<Set<Long>> groupsFromStatus(String status) {
		Set<Long> groups = new TreeSet<>();
		boolean effective = false;
		for (String line : status.split("\n")) {
			String[] fields = line.strip().split("\\s+");
			if (fields[0].equals("Gid:") && fields.length > 2) {
				groups.add(Long.parseLong(fields[2]));
				effective = true;
			}
			else if (fields[0].equals("Groups:")) {
				for (int i = 1; i < fields.length; i++) {
					groups.add(Long.parseLong(fields[i]));
				}
			}
		}
		return effective ? Optional.of(groups) : Optional.empty();
	}

	private static long readUid() {
		try {
			// Follow the link: /proc/self itself is owned by root, the directory it names by this process.
			return ((Number) Files.getAttribute(Path.of("/proc/self"), "unix:uid")).longValue();
		}
		catch (IOException | UnsupportedOperationException | IllegalArgumentException ex) {
			return uidOfNewFile();
		}
	}

	private static long uidOfNewFile() {
		try {
			Path probe = Files.createTempFile("glide-socket-uid", ".tmp");
			try {
				return ((Number) Files.getAttribute(probe, "unix:uid")).longValue();
			}
			finally {
				Files.deleteIfExists(probe);
			}
		}
		catch (IOException ex) {
			throw new IllegalStateException("Cannot determine the user id of this process", ex);
		}
	}

}
