package io.github.glidesocket.websample.process;

import java.nio.file.Path;
import java.util.List;

/**
 * Starts a process as systemd does for a socket unit with {@code StandardInput=socket}: a
 * launcher binds and listens on the path, then runs the command with that listening socket as
 * its standard input.
 */
final class SocketActivation {

	private static final String LAUNCHER = """
			import os, socket, sys
			s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
			s.bind(sys.argv[1])
			os.chmod(sys.argv[1], 0o660)
			s.listen(128)
			os.dup2(s.fileno(), 0)
			os.execv(sys.argv[2], sys.argv[2:])
			""";

	private SocketActivation() {
	}

	/**
	 * The command to put before {@code java} so that the JVM inherits a socket at the path.
	 * @param socket the path systemd's socket unit would listen on ({@code ListenStream=})
	 * @return the launcher command
	 */
	static List<String> listeningOn(Path socket) {
		return List.of("python3", "-c", LAUNCHER, socket.toString());
	}

}
