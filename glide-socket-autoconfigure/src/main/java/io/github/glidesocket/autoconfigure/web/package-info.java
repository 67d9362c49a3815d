/**
 * The application's web server on a glide-socket managed socket ({@code glide.socket.web.*}):
 * the part every server shares.
 */
@NullMarked
package io.github.glidesocket.autoconfigure.web;

import org.jspecify.annotations.NullMarked;
