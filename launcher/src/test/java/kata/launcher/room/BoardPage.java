package kata.launcher.room;

import kata.harness.Browser;

/** The board in a test browser, read as a person at the back of the room reads it: as text, row by row. */
final class BoardPage {
    /** Each row's cells joined by " | ", the chapter bars by their titles ("03-sse: 5/17"). */
    private static final String READ = """
            (function () {
              var lines = [document.querySelector('h1').textContent, document.getElementById('room').textContent];
              var rows = document.querySelectorAll('#rows tr');
              for (var i = 0; i < rows.length; i++) {
                var cells = [];
                var tds = rows[i].children;
                for (var j = 0; j < tds.length; j++) {
                  if (tds[j].className === 'bars') {
                    var bars = tds[j].querySelectorAll('.bar');
                    var titles = [];
                    for (var k = 0; k < bars.length; k++) { titles.push(bars[k].title); }
                    cells.push('[' + titles.join(', ') + ']');
                  } else if (tds[j].textContent) {
                    cells.push(tds[j].textContent);
                  }
                }
                lines.push(cells.join(' | '));
              }
              return lines.join('\\n');
            })()""";

    private final Browser browser;

    BoardPage(Browser browser) {
        this.browser = browser;
    }

    String text() {
        return String.valueOf(browser.eval(READ));
    }

    String transport() {
        return browser.texts("#transport").get(0);
    }

    void waitUntilItShows(String expectation, String... fragments) {
        browser.waitUntil(browser.name() + "'s board " + expectation, () -> {
            String text = text();
            for (String fragment : fragments) {
                if (!text.contains(fragment)) {
                    return false;
                }
            }
            return true;
        }, () -> "\n" + text() + "\n(" + transport() + ")");
    }
}
