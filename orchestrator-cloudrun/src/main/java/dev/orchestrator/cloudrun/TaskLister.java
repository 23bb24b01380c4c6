package dev.orchestrator.cloudrun;

import com.google.cloud.run.v2.ListTasksRequest;
import com.google.cloud.run.v2.ListTasksResponse;
import com.google.cloud.run.v2.Task;

import java.util.HashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;

/** Lists an execution's tasks, page by page, each page a retried read. */
final class TaskLister {

    private static final int PAGE_SIZE = 500;

    private final Clients clients;
    private final Calls calls;

    TaskLister(Clients clients, Calls calls) {
        this.clients = clients;
        this.calls = calls;
    }

    /** Every task of {@code execution}, by Cloud Run index. */
    Map<Integer, Task> all(String execution, BooleanSupplier abandon) throws CallFailed, InterruptedException {
        var byIndex = new HashMap<Integer, Task>();
        String token = "";
        do {
            var request = ListTasksRequest.newBuilder().setParent(execution).setPageSize(PAGE_SIZE)
                    .setPageToken(token).build();
            ListTasksResponse page = calls.read("ListTasks of " + execution, () -> clients.listTasks(request),
                    abandon);
            for (Task task : page.getTasksList()) {
                byIndex.put(task.getIndex(), task);
            }
            token = page.getNextPageToken();
        } while (!token.isEmpty());
        return byIndex;
    }
}
