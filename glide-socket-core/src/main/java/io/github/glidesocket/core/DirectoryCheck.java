package io.github.glidesocket.core;

/**
 * What to do when a socket's directory, or a directory above it, can be changed by a user other
 * than this process's and root: one that another user owns, or that its group or all users may
 * write without the sticky bit. Such a user can rename or remove the socket file, or replace a
 * directory on the path so that the socket is created where they choose. Checked at each bind,
 * following the path through its links as the kernel does, like OpenSSH's {@code StrictModes}.
 * A directory with the sticky bit, such as {@code /tmp}, passes: there only an entry's owner may
 * rename or remove it.
 */
public enum DirectoryCheck {

	/** Bind, and log a warning naming the directory, once per directory. */
	WARN,

	/** Refuse to bind, with {@link SocketPathException.Reason#UNSAFE_DIRECTORY}. */
	REFUSE,

	/**
	 * Neither log nor refuse. Whatever this setting, binding in such a directory reaches what it
	 * creates there through open descriptors rather than names.
	 */
	OFF

}
