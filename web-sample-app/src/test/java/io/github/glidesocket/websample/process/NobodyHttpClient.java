package io.github.glidesocket.websample.process;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A client that runs as user {@code nobody} in group {@code nogroup} (through {@code setpriv}),
 * connects to a socket directly, sends an HTTP request and prints how many bytes came back.
 */
final class NobodyHttpClient {

	/**
	 * The system's command path: a python3 found earlier on the test's own PATH (such as a
	 * version manager's shim in root's home) may not be executable by nobody.
	 */
	private static final String SYSTEM_PATH = "/usr/local/bin:/usr/bin:/bin";

	/**
	 * Prints {@code CONNECT-ERROR <errno>}, or {@code RECEIVED <n>} with the number of bytes
	 * read until the server closed the connection.
	 */
	private static final String CLIENT = """
			import errno, socket, sys
			s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
			s.settimeout(60)
			try:
			    s.connect(sys.argv[1])
			except OSError as e:
			    print("CONNECT-ERROR", errno.errorcode.get(e.errno, e.errno))
			    sys.exit(0)
			received = b""
			try:
			    s.sendall(b"GET /hello HTTP/1.1\\r\\nHost: localhost\\r\\nConnection: close\\r\\n\\r\\n")
			    while True:
			        chunk = s.recv(4096)
			        if not chunk:
			            break
			        received += chunk
			except (BrokenPipeError, ConnectionResetError):
			    pass
			print("RECEIVED", len(received))
			""";

	private NobodyHttpClient() {
	}

	/**
	 * Send {@code GET /hello} to the socket as nobody.
	 * @param socket the socket
	 * @return what the client printed
	 */
	static String get(Path socket) throws Exception {
		ProcessBuilder builder = new ProcessBuilder(List.of("setpriv", "--reuid=nobody", "--regid=nogroup",
				"--clear-groups", "python3", "-c", CLIENT, socket.toString()))
			.redirectErrorStream(true);
		builder.environment().put("PATH", SYSTEM_PATH);
		Process process = builder.start();
		String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
		assertThat(process.waitFor(90, TimeUnit.SECONDS)).as("the client finished").isTrue();
		assertThat(process.exitValue()).as("exit code of the client, output: %s", output).isZero();
		return output;
	}

}
