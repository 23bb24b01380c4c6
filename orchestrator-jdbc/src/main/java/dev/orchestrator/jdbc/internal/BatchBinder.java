package dev.orchestrator.jdbc.internal;

import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Query;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@link Binder} as JDBC batches: one statement per row, bound a row at a time. Right for SQLite,
 * where a statement costs no round trip (a batch is one call into the driver, and the statements
 * stay prepared, see {@link Jdbc}) and each row's update count tells whether it applied. The steps
 * of ended tasks are read back with one query.
 */
final class BatchBinder implements Binder {

    private final DSLContext r;
    private final Jdbc jdbc;
    private final DialectSupport dialect;

    /** Renders with {@code renderer}; runs with {@code jdbc}; binds id lists as {@code dialect} says. */
    BatchBinder(DSLContext renderer, Jdbc jdbc, DialectSupport dialect) {
        this.r = renderer;
        this.jdbc = jdbc;
        this.dialect = dialect;
    }

    @Override
    public Bound prepare(RowWrite w) {
        Query query;
        int parameters = 2;
        if (w.insert()) {
            List<Field<?>> columns = new ArrayList<>(List.of(w.key(), Col.ATTEMPT));
            List<Field<?>> values = new ArrayList<>(List.of(DSL.param(SQLDataType.BIGINT), DSL.param(SQLDataType.INTEGER)));
            for (RowWrite.Assignment a : w.sets()) {
                columns.add(a.column());
                values.add(value(a));
            }
            query = r.insertInto(w.table()).columns(columns).values(values);
        } else {
            Map<Field<?>, Field<?>> set = new LinkedHashMap<>();
            w.sets().forEach(a -> set.put(a.column(), value(a)));
            Condition where = w.key().eq(DSL.param(SQLDataType.BIGINT)).and(Col.ATTEMPT.eq(DSL.param(SQLDataType.INTEGER)));
            if (w.live()) {
                where = where.and(Statuses.inFlight(Col.STATUS));
            }
            query = r.update(w.table()).set(set).where(where);
        }
        for (RowWrite.Assignment a : w.sets()) {
            parameters += a.source() == RowWrite.Source.LITERAL ? 0 : 1;
        }
        Stmt stepsOf = w.result() != RowWrite.Result.STEPS ? null : Stmt.of(r,
                r.select(w.key(), Col.RUN_ID, Col.STEP_INDEX).from(w.table()).where(dialect.idIn(w.key())), 1);
        return new BatchBound(w, Stmt.of(r, query, parameters), stepsOf);
    }

    private static Field<?> value(RowWrite.Assignment a) {
        return a.source() == RowWrite.Source.LITERAL ? a.literal() : DSL.param(a.column().getDataType());
    }

    private final class BatchBound implements Bound {
        private final RowWrite write;
        private final Stmt stmt;
        private final Stmt stepsOf;

        BatchBound(RowWrite write, Stmt stmt, Stmt stepsOf) {
            this.write = write;
            this.stmt = stmt;
            this.stepsOf = stepsOf;
        }

        @Override
        public boolean[] run(Connection c, Object[] scalars, List<Object[]> rows) throws SQLException {
            List<Object[]> bound = new ArrayList<>(rows.size());
            for (Object[] row : rows) {
                bound.add(bind(scalars, row));
            }
            int[] counts = jdbc.batch(c, stmt, bound);
            boolean[] applied = new boolean[counts.length];
            for (int i = 0; i < counts.length; i++) {
                applied[i] = JdbcBatch.applied(counts[i]);
            }
            return applied;
        }

        @Override
        public StepKey[] runForSteps(Connection c, Object[] scalars, List<Object[]> rows) throws SQLException {
            boolean[] applied = run(c, scalars, rows);
            List<Long> ids = new ArrayList<>();
            for (int i = 0; i < applied.length; i++) {
                if (applied[i]) {
                    ids.add((Long) rows.get(i)[0]);
                }
            }
            StepKey[] steps = new StepKey[rows.size()];
            if (ids.isEmpty()) {
                return steps;
            }
            Map<Long, StepKey> byId = new HashMap<>();
            jdbc.query(c, stepsOf, new Object[]{dialect.ids(ids)},
                    rs -> byId.put(rs.getLong(1), new StepKey(rs.getLong(2), rs.getInt(3))));
            for (int i = 0; i < applied.length; i++) {
                steps[i] = applied[i] ? byId.get((Long) rows.get(i)[0]) : null;
            }
            return steps;
        }

        /** The row's bind values in SQL order: insert key, attempt, values; update values, key, attempt. */
        private Object[] bind(Object[] scalars, Object[] row) {
            List<Object> values = new ArrayList<>(row.length + scalars.length);
            if (write.insert()) {
                values.add(row[0]);
                values.add(row[1]);
            }
            int scalar = 0;
            int column = 2;
            for (RowWrite.Assignment a : write.sets()) {
                switch (a.source()) {
                    case SCALAR -> values.add(scalars[scalar++]);
                    case ROW -> values.add(row[column++]);
                    case LITERAL -> {
                    }
                }
            }
            if (!write.insert()) {
                values.add(row[0]);
                values.add(row[1]);
            }
            return values.toArray();
        }
    }
}
