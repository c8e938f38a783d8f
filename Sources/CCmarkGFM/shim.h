// cmark-gfm, the CommonMark parser with GitHub's extensions that GitHub itself renders Markdown
// with (Debian's libcmark-gfm-dev and libcmark-gfm-extensions-dev).
#include <cmark-gfm.h>
#include <cmark-gfm-core-extensions.h>
