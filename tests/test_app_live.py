"""The archive is watched while the reader runs: new, changed and removed posts show up."""

from __future__ import annotations

from pathlib import Path

from tui_helpers import (
    date_rows,
    detail_text,
    make_app,
    settle,
    small_archive,
    wait_until,
    write_post,
)

# How fast (the README promises two seconds) is measured by tests/benchmarks/bench_live.py,
# not here: on a shared machine a clock in a test fails for reasons of its own.


def notifications(app) -> list[str]:
    return [n.message for n in app._notifications]


async def shown_after_write(pilot, write, condition, what: str) -> None:
    """`write()`, then wait until `condition()` holds on screen."""
    write()
    await wait_until(pilot, condition, what)


async def test_new_changed_and_removed_posts_show_up_with_a_notification(tmp_path: Path) -> None:
    root = small_archive(tmp_path)
    app = make_app(root, watch=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await wait_until(
            pilot,
            lambda: any(w.group == "watch" and w.is_running for w in app.workers),
            "the watcher",
        )
        # the watcher is up once it reports a first change (however long the machine takes
        # to start it); only the changes after that are timed
        write_post(root, "2026-02-01-warm.md", title="热身文章", date="2026-02-01")
        await wait_until(
            pilot,
            lambda: any("热身文章" in row for row in date_rows(app)),
            "the first change to be seen",
        )
        await settle(app, pilot)

        await shown_after_write(
            pilot,
            lambda: write_post(
                root, "later/2026-03-05-new.md", title="新文章：黄金再上台阶", date="2026-03-05"
            ),
            lambda: "新文章：黄金再上台阶" in date_rows(app)[0],
            "the new post's row",
        )
        await wait_until(
            pilot,
            lambda: any("New post: 新文章：黄金再上台阶" in m for m in notifications(app)),
            "the notification",
        )

        # the post being read changes on disk: the detail follows
        app.screen.date_list.highlighted = 0
        await settle(app, pilot)
        await shown_after_write(
            pilot,
            lambda: write_post(
                root, "later/2026-03-05-new.md", title="新文章（更正）", date="2026-03-05"
            ),
            lambda: detail_text(app).startswith("新文章（更正）"),
            "the changed post's text",
        )
        assert "新文章（更正）" in date_rows(app)[0]
        await wait_until(
            pilot,
            lambda: any("Updated: 新文章（更正）" in m for m in notifications(app)),
            "the notification",
        )

        await shown_after_write(
            pilot,
            (root / "2026-03-01-a.md").unlink,
            lambda: (
                len(date_rows(app)) == 4 and not any("三月开局" in row for row in date_rows(app))
            ),
            "the removed post gone",
        )
        await wait_until(
            pilot,
            lambda: any("Removed: 三月开局：金价走强" in m for m in notifications(app)),
            "the notification",
        )


async def test_a_post_added_while_the_first_index_is_built_appears_after_it(
    tmp_path: Path,
) -> None:
    import datetime as dt

    root = tmp_path / "many"
    first = dt.date(2024, 1, 1)
    for n in range(240):
        day = (first + dt.timedelta(days=n)).isoformat()
        write_post(root, f"{day}-p{n:03d}.md", title=f"第{n}篇", date=day)
    app = make_app(root, watch=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_until(
            pilot,
            lambda: app.index_state.phase == "indexing" and app.index_state.done > 0,
            "the first build to be under way",
            timeout=60,
        )
        write_post(root, "2026-06-01-during.md", title="建索引时新加的一篇", date="2026-06-01")
        assert app.index_state.phase != "ready", "written while the build runs"
        await wait_until(
            pilot,
            lambda: app.index_state.phase == "ready" and "建索引时新加的一篇" in date_rows(app)[0],
            "the post written during the build, after it",
            timeout=60,
        )
        assert app.screen.date_list.border_title == "Posts 241"
