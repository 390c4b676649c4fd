package dev.subscriptions.web;

/**
 * One entry of the {@code errors} list of a 400 problem: what is wrong, and where.
 *
 * @param field a JSON path into the request body (e.g. {@code items[0].id}, {@code $} for
 * the body as a whole), or the name of a path variable, query parameter or header
 * @param message why the value is refused
 */
public record InvalidField(String field, String message) {

}
