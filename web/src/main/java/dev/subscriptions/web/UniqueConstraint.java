package dev.subscriptions.web;

/**
 * A unique index or constraint of a service's database, as a client is told about a
 * request that violates it: 409 with {@code title}, {@code detail} and the {@code field}
 * it guards. Each service declares one bean per constraint whose violation a request can
 * cause.
 *
 * @param name the constraint or index name, as the database reports it (e.g.
 * {@code customer_email_live_key})
 * @param field the request field whose value is taken already
 * @param title the problem's title, e.g. {@code Customer already exists}
 * @param detail the problem's detail, e.g.
 * {@code A live customer of this organization already has this email}
 */
public record UniqueConstraint(String name, String field, String title, String detail) {

}
