package io.github.glidesocket.websample;

/**
 * What {@code GET /hello} answers: which process served it, so that a caller behind a proxy can
 * tell the instances apart (for example before and after a takeover).
 */
final class Greeting {

	private Greeting() {
	}

	static String text() {
		return "hello from " + ProcessHandle.current().pid() + "\n";
	}

}
