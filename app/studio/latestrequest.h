#pragma once
// One request of a kind with the worker at a time, and only the latest one waiting: the alpha
// explorer asks again at every rest of the slider, and requests that take seconds each must not
// pile up behind one another. A request for what is already being answered (the slider's release
// and its rest both ask for the same alpha) is not sent a second time.
#include <functional>
#include <string>
#include <utility>

namespace ra::app {

class LatestRequest {
public:
    // SEND hands the request to the worker (a queued call); it replaces any request still waiting.
    // KEY names what is asked (set and alpha, say): asking for the key in flight only drops the one
    // waiting, since the answer on its way is the answer to this request too.
    void ask(const std::string& key, std::function<void()> send)
    {
        if (m_busy && key == m_inFlight) {
            m_waiting = nullptr;
            return;
        }
        m_waiting = std::move(send);
        m_waitingKey = key;
        if (!m_busy) answered();
    }
    // The worker has answered (or failed, or stopped) the request it had: the waiting one goes.
    void answered()
    {
        m_busy = bool(m_waiting);
        if (!m_busy) return;
        m_inFlight = m_waitingKey;
        auto send = std::exchange(m_waiting, nullptr);
        send();
    }

private:
    std::function<void()> m_waiting;
    std::string m_waitingKey, m_inFlight;
    bool m_busy = false; // a request is with the worker
};

} // namespace ra::app
