#pragma once
// One request of a kind with the worker at a time, and only the latest one waiting: the alpha
// explorer asks again at every rest of the slider, and requests that take seconds each must not
// pile up behind one another.
#include <functional>
#include <utility>

namespace ra::app {

class LatestRequest {
public:
    // SEND hands the request to the worker (a queued call); it replaces any request still waiting.
    void ask(std::function<void()> send)
    {
        m_waiting = std::move(send);
        if (!m_busy) answered();
    }
    // The worker has answered (or failed, or stopped) the request it had: the waiting one goes.
    void answered()
    {
        m_busy = bool(m_waiting);
        if (!m_busy) return;
        auto send = std::exchange(m_waiting, nullptr);
        send();
    }

private:
    std::function<void()> m_waiting;
    bool m_busy = false; // a request is with the worker
};

} // namespace ra::app
