package dev.orchestrator.jdbc.internal;

import org.jooq.DSLContext;
import org.jooq.Query;

/**
 * One statement rendered once by jOOQ, with {@code ?} for each bind value, for reuse in JDBC
 * batches.
 *
 * @param sql        the SQL
 * @param parameters how many bind values it takes
 */
record Stmt(String sql, int parameters) {

    /** Renders {@code query}; fails if it does not take exactly {@code parameters} bind values. */
    public static Stmt of(DSLContext renderer, Query query, int parameters) {
        return checked(renderer.render(query), parameters);
    }

    /** {@code sql} as written; fails if it does not take exactly {@code parameters} bind values. */
    public static Stmt checked(String sql, int parameters) {
        long marks = sql.chars().filter(ch -> ch == '?').count();
        if (marks != parameters) {
            throw new IllegalStateException("statement takes " + marks + " bind values, expected " + parameters
                    + ": " + sql);
        }
        return new Stmt(sql, parameters);
    }
}
