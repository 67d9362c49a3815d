package io.github.glidesocket.websample;

/**
 * What the application logs around a slow request, so that a test can tell it is in flight and
 * when it was answered.
 */
public final class SlowRequest {

	/**
	 * Logged when a slow request has reached its handler.
	 */
	public static final String STARTED = "Slow request started";

	/**
	 * Logged when a slow request is about to be answered.
	 */
	public static final String ANSWERED = "Slow request answered";

	private SlowRequest() {
	}

}
