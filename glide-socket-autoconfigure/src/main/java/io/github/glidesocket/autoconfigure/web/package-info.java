/**
 * The application's own web server on a managed socket ({@code glide.socket.web.*}): the part
 * every server shares; one sub-package per server puts that server on it.
 */
@NullMarked
package io.github.glidesocket.autoconfigure.web;

import org.jspecify.annotations.NullMarked;
