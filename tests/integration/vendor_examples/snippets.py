"""The vendor's own Python examples, copied from /work/shared/api/orangeclone-api-docs.txt.

Each is the docs' code token for token. The text extraction of the docs put spaces inside
tokens (`f "Job ID: { x } "`, `print ( ... )`, `time.sleep( 3 )`), which is not valid Python
(`f "..."`), so the spacing is normalised to ordinary Python layout; nothing else is changed.
The run-time substitutions (base URL, key, placeholder ids, the poll loop's sleep) are made by
`adapt()` in the tests, never here, so these strings stay a faithful copy.
"""

from __future__ import annotations

DOCS_BASE_URL = "https://orangeclone.web.app/api"
DOCS_KEY = "YOUR_API_KEY"

CREATE_CHARACTER = """\
import requests
url = "https://orangeclone.web.app/api/characters/create"
headers = {"Authorization": "Bearer YOUR_API_KEY"}
# Data and Files
data = {
    "name": "Alex Voice",
    "avatarStyle": "adventurer"
}
files = {
    "voiceFile": open("your_audio.wav", "rb")
}
response = requests.post(url, headers=headers, data=data, files=files)
print(f"Created character: {response.json()['characterId']}")
"""

DELETE_CHARACTER = """\
import requests
url = "https://orangeclone.web.app/api/characters/delete"
headers = {
    "Authorization": "Bearer YOUR_API_KEY",
    "Content-Type": "application/json"
}
response = requests.delete(url, headers=headers, json={
    "characterId": "abc123xyz"
})
"""

UPDATE_CHARACTER = """\
import requests
url = "https://orangeclone.web.app/api/characters/abc123xyz"
headers = {
    "Authorization": "Bearer YOUR_API_KEY",
    "Content-Type": "application/json"
}
response = requests.put(url, headers=headers, json={
    "name": "New Name",
    "avatarStyle": "bottts"
})
"""

UPDATE_CHARACTER_VOICE = """\
import requests
url = "https://orangeclone.web.app/api/characters/abc123xyz/audio"
headers = {"Authorization": "Bearer YOUR_API_KEY"}
files = {"voiceFile": open("new_sample.wav", "rb")}
response = requests.post(url, headers=headers, files=files)
"""

VOICES_CLONE_SINGLE = """\
import requests
url = "https://orangeclone.web.app/api/voices_clone"
headers = {
    "Authorization": "Bearer YOUR_API_KEY",
    "Content-Type": "application/json"
}
payload = {
    "text": "Hello, this is my cloned voice!",
    "character_ids": ["abc123xyz"]
}
response = requests.post(url, headers=headers, json=payload)
print(f"Job ID: {response.json()['data']['jobId']}")
"""

VOICES_CLONE_DIALOGUE = '''\
import requests
url = "https://orangeclone.web.app/api/voices_clone"
headers = {
    "Authorization": "Bearer YOUR_API_KEY",
    "Content-Type": "application/json"
}
text = """Speaker 1: Hello, how are you?
Speaker 2: I'm doing great, thanks for asking!
Speaker 1: That's wonderful to hear."""
payload = {
    "text": text,
    "character_ids": ["char_abc123", "char_def456"]
}
# Cost is estimated based on the total length of the dialogue
response = requests.post(url, headers=headers, json=payload)
'''

VOICE_STATUS_LOOP = """\
import time
import requests
job_id = "job_xyz789"
url = f"https://orangeclone.web.app/api/voices/{job_id}"
headers = {"Authorization": "Bearer YOUR_API_KEY"}
while True:
    response = requests.get(url, headers=headers)
    data = response.json().get("data", {})
    status = data.get("status")
    if status == "completed":
        print(f"Audio URL: {data.get('audioUrl')}")
        break
    elif status == "failed":
        print(f"Error: {data.get('error')}")
        break
    time.sleep(3)
"""

BATCH_TTS = """\
import requests
url = "https://orangeclone.web.app/api/batch_tts"
headers = {
    "Authorization": "Bearer YOUR_API_KEY",
    "Content-Type": "application/json"
}
payload = {
    "storyId": "story_123",
    "scenes": [
        {"index": 0, "text": "Welcome to our story!", "characterId": "char_1"},
        {"index": 1, "text": "Today we explore the ocean.", "characterId": "char_2"}
    ]
}
response = requests.post(url, headers=headers, json=payload)
print("Batch Job ID: " + response.json()["data"]["batchJobId"])
"""

BATCH_STATUS = """\
import requests
batch_job_id = "abc-123-xyz"
url = "https://orangeclone.web.app/api/batch_tts_status?batchJobId=" + batch_job_id
headers = {"Authorization": "Bearer YOUR_API_KEY"}
response = requests.get(url, headers=headers)
data = response.json()
print("Status: " + str(data.get("status")))
for scene in data.get("scenes", []):
    if scene.get("status") == "completed":
        print("Scene " + str(scene.get("sceneIndex")) + ": " + str(scene.get("audioUrl")))
"""

SCRIPTS_GENERATE = """\
import requests
url = "https://orangeclone.web.app/api/scripts_generate"
headers = {
    "Authorization": "Bearer YOUR_API_KEY",
    "Content-Type": "application/json"
}
payload = {
    "mode": "dialogue",
    "template": "podcast_intro",
    "context": "A tech podcast discussing the future of AI",
    "characters": [
        {"id": "1", "name": "Alex"},
        {"id": "2", "name": "Jordan"}
    ],
    "tone": "Professional",
    "length": "Medium (1-2m)"
}
response = requests.post(url, headers=headers, json=payload)
print(response.json()["script"])
"""

DUBBING_TRANSCRIBE = """\
import requests
API_URL = "https://orangeclone.web.app/api"
HEADERS = {"Authorization": "Bearer YOUR_API_KEY"}
# 1. Get Upload URL
resp = requests.post(f"{API_URL}/dubbing_transcribe?action=get_upload_url", headers=HEADERS, json={
    "fileName": "video.mp4",
    "contentType": "video/mp4"
})
data = resp.json()["data"]
upload_url = data["uploadUrl"]
media_path = data["mediaPath"]
# 2. Upload File
with open("video.mp4", "rb") as f:
    requests.put(upload_url, data=f, headers={"Content-Type": "video/mp4"})
# 3. Start Transcription
resp = requests.post(f"{API_URL}/dubbing_transcribe", headers=HEADERS, json={
    "mediaPath": media_path,
    "mediaType": "video",
    "duration": 120,
    "fileSizeMB": 50
})
job_id = resp.json()["data"]["jobId"]
"""

DUBBING_CLONE = """\
import requests
url = "https://orangeclone.web.app/api/dubbing_clone"
headers = {
    "Authorization": "Bearer YOUR_API_KEY",
    "Content-Type": "application/json"
}
response = requests.post(url, headers=headers, json={
    "jobId": "job_xyz789"
})
"""

DUBBING_STATUS = """\
import requests
response = requests.get(
    "https://orangeclone.web.app/api/dubbing/job_xyz789",
    headers={"Authorization": "Bearer YOUR_API_KEY"}
)
data = response.json()["data"]
if data["status"] == "completed":
    print(f"Dubbed URL: {data['dubbedUrl']}")
else:
    print(f"Status: {data['status']}")
"""

# Not Python in the docs: the "Voice Mapping Object" of Step 3, as documented.
VOICE_MAPPING_OBJECT = {
    "speaker_1": {"type": "character", "characterId": "abc123xyz"},
    "speaker_2": {"type": "original"},
}
