package io.github.glidesocket.autoconfigure;

/**
 * The application's Spring Boot, or its mix of glide-socket artifacts, is one glide-socket does
 * not support; see {@link SpringBootGenerationCheck}.
 */
final class UnsupportedSpringBootException extends RuntimeException {

	private final String action;

	UnsupportedSpringBootException(String description, String action) {
		super(description);
		this.action = action;
	}

	String getAction() {
		return this.action;
	}

}
