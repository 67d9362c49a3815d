/**
 * Client objects that hold references to the managed socket, as library clients do in the
 * original design, and the HTTP endpoints that create and close them.
 */
@NullMarked
package io.github.glidesocket.sample.client;

import org.jspecify.annotations.NullMarked;
